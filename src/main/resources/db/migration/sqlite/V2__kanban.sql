-- Kanban board, worker claims with leases, runs, events and comments.

CREATE TABLE boards (
    slug         TEXT PRIMARY KEY CHECK (length(slug) BETWEEN 1 AND 64),
    name         TEXT NOT NULL,
    description  TEXT,
    created_at   REAL NOT NULL,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);

CREATE TABLE tasks (
    id                    TEXT PRIMARY KEY,
    board                 TEXT NOT NULL REFERENCES boards(slug),
    title                 TEXT NOT NULL,
    body                  TEXT,
    assignee              TEXT,
    status                TEXT NOT NULL CHECK (status IN ('triage', 'todo', 'ready', 'running', 'blocked', 'review', 'done', 'archived')),
    priority              INTEGER NOT NULL DEFAULT 0,
    created_by            TEXT,
    created_at            REAL NOT NULL,
    updated_at            REAL NOT NULL,
    started_at            REAL,
    completed_at          REAL,
    claim_lock            TEXT,
    claimed_by            TEXT,
    claim_expires         REAL,
    last_heartbeat_at     REAL,
    current_run_id        TEXT,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    last_failure_error    TEXT,
    result                TEXT,
    idempotency_key       TEXT,
    -- 'manual' (sticky until unblocked) or 'gave_up' (the failure breaker; recovers when parents finish)
    block_kind            TEXT CHECK (block_kind IN ('manual', 'gave_up')),
    block_reason          TEXT,
    blocked_at            REAL,
    UNIQUE (board, idempotency_key)
);

-- the claim query: next ready task of a board by priority, then age
CREATE INDEX idx_tasks_ready ON tasks(board, status, priority DESC, created_at, id);
-- the dispatcher's stale-lease sweep
CREATE INDEX idx_tasks_status_expires ON tasks(status, claim_expires);

CREATE TABLE task_links (
    parent_id  TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    child_id   TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id),
    CHECK (parent_id <> child_id)
);
CREATE INDEX idx_task_links_child ON task_links(child_id);

CREATE TABLE task_runs (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    worker      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'blocked', 'reclaimed')),
    started_at  REAL NOT NULL,
    ended_at    REAL,
    outcome     TEXT,
    summary     TEXT,
    error       TEXT
);
CREATE INDEX idx_task_runs_task ON task_runs(task_id, started_at);

CREATE TABLE task_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    board       TEXT NOT NULL,
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    run_id      TEXT,
    kind        TEXT NOT NULL,
    payload     TEXT,
    created_at  REAL NOT NULL
);
CREATE INDEX idx_task_events_task ON task_events(task_id, id);
CREATE INDEX idx_task_events_board ON task_events(board, id);

CREATE TABLE task_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    author      TEXT,
    body        TEXT NOT NULL,
    created_at  REAL NOT NULL
);
CREATE INDEX idx_task_comments_task ON task_comments(task_id, id);
