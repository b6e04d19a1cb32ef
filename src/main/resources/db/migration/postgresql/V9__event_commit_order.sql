-- Issue 16: board events in commit-safe order across replicas. Identity ids are handed out at
-- insert, not at commit: a reader polling "id > last" skips an event whose transaction commits
-- after a later id's. tx is the writing transaction's id (xid8); a relay reads only below the
-- oldest transaction still running (pg_snapshot_xmin), so it never reads past an event that is
-- yet to commit, and delivers in (tx, id) order.
ALTER TABLE task_events ADD COLUMN tx XID8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX idx_task_events_tx ON task_events(tx, id);

-- The claim queue: ready tasks of a board in claim order, and nothing else (claims lock with SKIP LOCKED).
CREATE INDEX idx_tasks_ready_queue ON tasks(board, priority DESC, created_at, id) WHERE status = 'ready';
-- Queue tables churn: vacuum tasks and events early.
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
