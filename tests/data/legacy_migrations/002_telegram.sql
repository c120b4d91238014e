-- Telegram: updates already handled, the outbox of messages to deliver, staff message ids.
CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    reply_markup TEXT,                         -- JSON of the inline keyboard, if any
    parse_mode TEXT,
    reply_to_message_id INTEGER,
    message_thread_id INTEGER,
    purpose TEXT NOT NULL,                     -- patient_reply, case_card, relay, staff_note...
    case_id INTEGER,
    patient_id INTEGER REFERENCES patients(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    telegram_message_id INTEGER
);
CREATE INDEX outbox_pending ON outbox(status, id);

CREATE TABLE case_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES handoff_cases(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);
