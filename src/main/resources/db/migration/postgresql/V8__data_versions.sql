-- PostgreSQL twin of sqlite/V8: a version per data scope, bumped by every write to the scope's tables.
-- Statement-level triggers (one bump per statement, not per row). Issue 16 still has to decide what
-- replaces this on PostgreSQL: one row per scope serialises concurrent writers until they commit.
CREATE TABLE data_versions (
    scope   TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions(scope, version) VALUES ('sessions', 1), ('kanban', 1);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = TG_ARGV[0];
    RETURN NULL;
END;
$$;

CREATE TRIGGER data_version_sessions AFTER INSERT OR UPDATE OR DELETE ON sessions
FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER data_version_messages AFTER INSERT OR UPDATE OR DELETE ON messages
FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER data_version_projects AFTER INSERT OR UPDATE OR DELETE ON projects
FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER data_version_tasks AFTER INSERT OR UPDATE OR DELETE ON tasks
FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('kanban');
