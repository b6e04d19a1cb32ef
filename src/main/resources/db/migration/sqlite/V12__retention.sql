-- Issue 28: retention. Old board events and finished runs are pruned in small batches; these indexes
-- find them without a scan. A board's horizon is the newest event position pruned so far: a watcher
-- resuming from before it may have missed pruned events and is sent a reload event instead.
CREATE INDEX idx_task_events_created ON task_events(created_at);
CREATE INDEX idx_task_runs_ended ON task_runs(ended_at) WHERE status <> 'running';
CREATE TABLE board_event_horizons (
    board       TEXT PRIMARY KEY,
    pruned_tx   BIGINT NOT NULL,
    pruned_id   BIGINT NOT NULL
);
