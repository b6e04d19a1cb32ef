-- Issue 30: a board's task list, newest first and keyset-paginated on (created_at, id), seeks this
-- index to the cursor instead of sorting the whole board for every page. It changes only when a
-- task is added or deleted (claims and completions leave created_at alone).
CREATE INDEX idx_tasks_board_created ON tasks(board, created_at, id);
