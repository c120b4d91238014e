-- A durable inbox (every update stored before Telegram is told it arrived), an outbox whose
-- rows are claimed with a lease, capped and expiring, and indexes for every lookup.
CREATE TABLE inbox (
    update_id INTEGER PRIMARY KEY,             -- Telegram's id: the dedupe key
    chat_key INTEGER NOT NULL,                 -- updates of one chat are handled in order
    payload TEXT NOT NULL,                     -- the update as JSON; blanked once handled
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,                           -- an error type, never message text
    received_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX inbox_heads ON inbox(status, chat_key, update_id);
CREATE INDEX inbox_by_time ON inbox(received_at);

ALTER TABLE outbox ADD COLUMN method TEXT NOT NULL DEFAULT 'send_message';
ALTER TABLE outbox ADD COLUMN extra TEXT;       -- JSON: what a non-text method needs
ALTER TABLE outbox ADD COLUMN not_before TEXT;  -- wait until then (429, backoff)
ALTER TABLE outbox ADD COLUMN lease_until TEXT; -- claimed by a sender until then
ALTER TABLE outbox ADD COLUMN expires_at TEXT;  -- give up after this
ALTER TABLE outbox ADD COLUMN reminder_id INTEGER;
DROP INDEX outbox_pending;
CREATE INDEX outbox_heads ON outbox(status, chat_id, id);
CREATE INDEX outbox_by_time ON outbox(created_at);
CREATE INDEX outbox_by_case ON outbox(case_id);
CREATE INDEX outbox_by_patient ON outbox(patient_id);

ALTER TABLE reminders ADD COLUMN outbox_id INTEGER; -- queued for delivery, not yet sent
CREATE INDEX reminders_by_patient ON reminders(patient_id, status);
CREATE INDEX staff_tasks_by_patient ON staff_tasks(patient_id);

CREATE INDEX intent_matches_by_time ON intent_matches(created_at);
CREATE INDEX audit_by_time ON audit_log(at);
CREATE INDEX audit_by_actor ON audit_log(actor);
CREATE INDEX case_messages_by_case ON case_messages(case_id);
CREATE INDEX cases_by_status ON handoff_cases(status, staff_message_id);
CREATE INDEX cases_by_thread ON handoff_cases(staff_thread_id, status);
CREATE INDEX offers_by_patient ON offers_shown(patient_id);
