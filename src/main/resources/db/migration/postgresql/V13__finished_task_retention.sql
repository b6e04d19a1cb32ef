-- Issue 28: retention deletes done and archived tasks untouched for statehouse.retention.done-tasks;
-- this partial index finds the oldest of them without reading the tasks still in play.
CREATE INDEX idx_tasks_finished ON tasks(updated_at) WHERE status IN ('done', 'archived');
