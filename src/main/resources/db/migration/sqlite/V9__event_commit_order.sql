-- Issue 16: task_events.tx is the writing transaction's id on PostgreSQL, where event ids are handed
-- out before commit and so are not in commit order. SQLite has one writer at a time: ids are in
-- commit order already, and tx stays NULL here.
ALTER TABLE task_events ADD COLUMN tx INTEGER;
