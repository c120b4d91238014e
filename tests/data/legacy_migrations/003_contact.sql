-- Contact only with consent and a concrete reason: consents, reminders, staff follow-up tasks.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                        -- appointment, hygiene, checkup
    channel TEXT NOT NULL,                     -- telegram, console
    wording TEXT NOT NULL,                     -- exactly what the patient agreed to
    granted_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_reason TEXT
);
CREATE INDEX consents_by_patient ON consents(patient_id, kind);

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                        -- appointment, hygiene, checkup
    template TEXT NOT NULL,                    -- reply key of the reminder text
    event_at TEXT NOT NULL,                    -- the appointment or check-up date (UTC)
    doctor TEXT,
    due_at TEXT NOT NULL,                      -- when to send (UTC)
    useful_until TEXT NOT NULL,                -- after this, sending is pointless: skipped
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'skipped', 'cancelled')),
    status_reason TEXT,
    created_by INTEGER,                        -- staff user id
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX reminders_due ON reminders(status, due_at);

CREATE TABLE staff_tasks (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                        -- plan (unfinished treatment plan), feedback
    due_on TEXT NOT NULL,                      -- clinic-local date
    note TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted')),
    created_by INTEGER,
    created_at TEXT NOT NULL,
    posted_at TEXT
);
CREATE INDEX staff_tasks_due ON staff_tasks(status, due_on);
