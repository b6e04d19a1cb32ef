-- Sessions and projects: the sidebar of an agent web UI.
-- Timestamps are epoch seconds (REAL). Pragmas are connection properties, never set here.

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    color       TEXT,
    created_at  REAL NOT NULL
);

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,
    user_id            TEXT,
    model              TEXT,
    title              TEXT,
    project_id         TEXT REFERENCES projects(id) ON DELETE SET NULL,
    parent_session_id  TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    started_at         REAL NOT NULL,
    ended_at           REAL,
    end_reason         TEXT,
    message_count      INTEGER NOT NULL DEFAULT 0,
    tool_call_count    INTEGER NOT NULL DEFAULT 0,
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    pinned             INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- newest of started_at, ended_at and the last message's timestamp; kept by the writers
    last_activity_at   REAL NOT NULL
);

CREATE INDEX idx_sessions_parent ON sessions(parent_session_id);
CREATE INDEX idx_sessions_started_at ON sessions(started_at);
CREATE INDEX idx_sessions_project ON sessions(project_id);
CREATE INDEX idx_sessions_last_activity ON sessions(last_activity_at);

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role           TEXT NOT NULL,
    content        TEXT,
    tool_call_id   TEXT,
    tool_calls     TEXT,
    tool_name      TEXT,
    timestamp      REAL NOT NULL,
    token_count    INTEGER,
    finish_reason  TEXT
);

CREATE INDEX idx_messages_session_timestamp ON messages(session_id, timestamp);
