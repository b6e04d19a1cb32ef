/**
 * Storage that exists on SQLite only: WAL upkeep ({@link dev.statehouse.storage.sqlite.WalMaintenance},
 * with {@link dev.statehouse.storage.sqlite.WalReaders}: other processes' read marks, from {@code /proc}),
 * online backups ({@link dev.statehouse.storage.sqlite.Backups}, the actuator endpoint
 * {@link dev.statehouse.storage.sqlite.BackupEndpoint}) and the offline {@code restore} command
 * ({@link dev.statehouse.storage.sqlite.RestoreCommand}), the offline {@code vacuum} command
 * ({@link dev.statehouse.storage.sqlite.VacuumCommand}) and the move to PostgreSQL
 * ({@link dev.statehouse.storage.sqlite.CopyCommand}: all or nothing, verified, the target's indexes
 * and foreign keys made again before it commits); and the SQLite implementations of the
 * strategies declared in {@code storage} ({@link dev.statehouse.storage.RowLocks},
 * {@link dev.statehouse.storage.ClusterLocks}). Invariant: only what differs by engine lives here; a
 * database file is only ever opened through SQLite, never as a plain file.
 */
package dev.statehouse.storage.sqlite;
