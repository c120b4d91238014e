-- Groups of unmatched questions a manager dealt with on the web page: dismissed, or added as an
-- example of an intent. Only the question's normalised key is kept (its distinct words, lowercase
-- and sorted, as the report groups them): no patient, no chat, no time of the message.
CREATE TABLE unmatched_dismissed (
    id INTEGER PRIMARY KEY,
    question_key TEXT NOT NULL UNIQUE,
    manager_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    resolution TEXT NOT NULL CHECK (resolution IN ('dismissed', 'added')),
    intent TEXT                                 -- the intent it was added to ('added' only)
);
