/**
 * The health indicators' SQLite side: connections counted as {@code -wal} handles
 * ({@link dev.statehouse.health.sqlite.SqliteConnections}) and the storage details of a database file
 * — disk, journal mode, WAL, checkpoints ({@link dev.statehouse.health.sqlite.SqliteStorageDetails}).
 * Invariant: only what differs by engine lives here, and nothing here waits on the database.
 */
package dev.statehouse.health.sqlite;
