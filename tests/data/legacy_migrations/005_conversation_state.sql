-- What the conversation is about, per patient: loaded at the start of a turn, saved with it.
CREATE TABLE conversation_state (
    patient_id INTEGER PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,
    topic TEXT,                                -- the service or practical subject last answered
    topic_at TEXT,                             -- when; a topic expires after a quiet period
    asked TEXT,                                -- what the bot last asked, e.g. "problem:implants"
    details TEXT NOT NULL DEFAULT '{}',        -- JSON of details the patient gave
    updated_at TEXT NOT NULL
);
