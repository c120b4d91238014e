-- Appointment requests and the appointments the front desk confirms.
-- A request being filled in lives in the conversation state, saved with each turn.
ALTER TABLE conversation_state ADD COLUMN booking TEXT;   -- JSON of the request in progress

-- AUTOINCREMENT: a number is never reused after an erasure, so an old card in the staff
-- chat can never point at another patient's request.
CREATE TABLE booking_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER REFERENCES patients(id) ON DELETE SET NULL,  -- NULL: erased
    kind TEXT NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'reschedule', 'cancel')),
    service TEXT NOT NULL DEFAULT '',          -- a service intent, or the patient's words
    wishes TEXT NOT NULL DEFAULT '',           -- which days and times suit, in their words
    wishes_understood TEXT NOT NULL DEFAULT '',-- as understood: "Tue 1 Dec, afternoon"
    new_or_returning TEXT NOT NULL DEFAULT '',  -- new, returning, or '' when not said
    name TEXT NOT NULL DEFAULT '',             -- the name to book under
    phone TEXT NOT NULL DEFAULT '',            -- only when the patient wants a call
    urgency TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'urgent')),
    appointment_id INTEGER,                    -- the appointment to move or cancel
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'proposed', 'confirmed', 'cancelled')),
    proposed_at TEXT,                          -- a time the front desk proposed (UTC)
    proposed_doctor TEXT,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    staff_message_id INTEGER,                  -- the booking card in the staff chat
    staff_thread_id INTEGER
);
CREATE INDEX booking_requests_open ON booking_requests(status, id);
CREATE INDEX booking_requests_of_patient ON booking_requests(patient_id, id);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    request_id INTEGER REFERENCES booking_requests(id) ON DELETE SET NULL,
    starts_at TEXT NOT NULL,                   -- UTC
    doctor TEXT,
    service TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    confirmed_by INTEGER,                      -- staff user id
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX appointments_of_patient ON appointments(patient_id, status, starts_at);
