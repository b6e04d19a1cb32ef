-- PostgreSQL twin of sqlite/V8. The table exists on both engines (same tables, same columns), but
-- on PostgreSQL nothing bumps it: one row per scope, updated by every writer, would serialise all
-- writers of the scope across replicas until each commits. PostgreSQL's data version is its
-- current snapshot instead (pg_current_snapshot(), see storage/DataVersions), which moves whenever
-- any transaction that wrote commits, on any replica.
CREATE TABLE data_versions (
    scope   TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions(scope, version) VALUES ('sessions', 1), ('kanban', 1);
