-- PostgreSQL twin of sqlite/V3: plans and their checkpoints.

CREATE TABLE plans (
    id           TEXT PRIMARY KEY,
    description  TEXT,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'abandoned', 'expired')),
    created_at   DOUBLE PRECISION NOT NULL,
    -- last checkpoint or rollback: the TTL reaper measures idleness from here
    updated_at   DOUBLE PRECISION NOT NULL,
    ended_at     DOUBLE PRECISION
);
CREATE INDEX idx_plans_status_updated ON plans(status, updated_at);

CREATE TABLE checkpoints (
    id                TEXT PRIMARY KEY,
    plan_id           TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    resource          TEXT NOT NULL,
    label             TEXT,
    file              TEXT NOT NULL UNIQUE,
    size_bytes        BIGINT NOT NULL,
    created_at        DOUBLE PRECISION NOT NULL,
    state             TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'missing')),
    restore_count     BIGINT NOT NULL DEFAULT 0,
    last_restored_at  DOUBLE PRECISION
);
CREATE INDEX idx_checkpoints_plan ON checkpoints(plan_id, created_at);
CREATE INDEX idx_checkpoints_created ON checkpoints(created_at);
