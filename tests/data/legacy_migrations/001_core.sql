-- Patients, their messages, what the bot matched and offered, and handoff cases.
CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,          -- "telegram:123" or "console:demo"
    display_name TEXT,                         -- only what the messenger tells us
    chat_id INTEGER,                           -- where to write to (Telegram private chat)
    created_at TEXT NOT NULL,
    greeted INTEGER NOT NULL DEFAULT 0,
    misunderstood_streak INTEGER NOT NULL DEFAULT 0,
    pending_step TEXT,                         -- e.g. "forget_me_confirm"
    pending_choices TEXT,                      -- JSON list of choice values offered last
    opted_out INTEGER NOT NULL DEFAULT 0,
    unreachable INTEGER NOT NULL DEFAULT 0,
    unreachable_reason TEXT
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text TEXT NOT NULL,
    intent TEXT,
    score REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX messages_by_patient ON messages(patient_id, id);
CREATE INDEX messages_by_time ON messages(created_at);

CREATE TABLE intent_matches (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    intent TEXT NOT NULL,
    score REAL NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX intent_matches_by_patient ON intent_matches(patient_id, intent);

CREATE TABLE offers_shown (
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    offer_id TEXT NOT NULL,
    shown_at TEXT NOT NULL,
    PRIMARY KEY (patient_id, offer_id)
);

CREATE TABLE handoff_cases (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER REFERENCES patients(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,                      -- an intent name or "not_understood"
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    taken_by INTEGER,
    taken_by_name TEXT,
    taken_at TEXT,
    closed_at TEXT,
    closed_by INTEGER,
    staff_message_id INTEGER,                  -- the case card in the staff chat
    staff_thread_id INTEGER
);
CREATE INDEX open_cases ON handoff_cases(patient_id, status);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,                       -- "staff:<id>", "patient:<id>", "bot"
    action TEXT NOT NULL,
    subject TEXT                               -- ids only, never message text
);
