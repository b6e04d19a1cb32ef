-- A version per data scope, bumped by every write to the scope's tables, from this process or any
-- other (the sqlite3 CLI, an agent writing the file directly). Conditional GETs derive their ETags
-- from it and the sidebar cache keys its pages by it, so neither can hide a change made by anyone.
--   sessions: sessions, messages, projects (the sidebar, projects with their session counts, messages)
--   kanban:   tasks (board task lists)
CREATE TABLE data_versions (
    scope   TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO data_versions(scope, version) VALUES ('sessions', 1), ('kanban', 1);

CREATE TRIGGER data_version_session_insert AFTER INSERT ON sessions
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_session_update AFTER UPDATE ON sessions
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_session_delete AFTER DELETE ON sessions
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;

CREATE TRIGGER data_version_message_insert AFTER INSERT ON messages
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_message_update AFTER UPDATE ON messages
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_message_delete AFTER DELETE ON messages
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;

CREATE TRIGGER data_version_project_insert AFTER INSERT ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_project_update AFTER UPDATE ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;
CREATE TRIGGER data_version_project_delete AFTER DELETE ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions'; END;

CREATE TRIGGER data_version_task_insert AFTER INSERT ON tasks
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'kanban'; END;
CREATE TRIGGER data_version_task_update AFTER UPDATE ON tasks
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'kanban'; END;
CREATE TRIGGER data_version_task_delete AFTER DELETE ON tasks
BEGIN UPDATE data_versions SET version = version + 1 WHERE scope = 'kanban'; END;
