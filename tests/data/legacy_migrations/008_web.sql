-- The managers' web page: one-time sign-in links, sessions, and every revision of a data file.
-- Links and sessions are kept only as SHA-256 hashes: a copy of the database signs no one in.
CREATE TABLE web_sign_in_links (
    token_hash TEXT PRIMARY KEY,
    manager_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE web_sessions (
    session_hash TEXT PRIMARY KEY,
    manager_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE TABLE data_revisions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    manager_id INTEGER NOT NULL,
    file TEXT NOT NULL,                        -- e.g. "replies/clinic.yaml"
    diff TEXT NOT NULL,                        -- unified diff, previous -> new
    previous_content TEXT NOT NULL,            -- what a revert restores
    new_content TEXT NOT NULL,
    reverts INTEGER REFERENCES data_revisions (id)
);
CREATE INDEX data_revisions_by_file ON data_revisions (file, id);
