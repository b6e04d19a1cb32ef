/**
 * The kanban feature's SQLite forms ({@link dev.statehouse.kanban.DispatchLocks}). Invariant: only what
 * differs by engine lives here; one process writes at a time, so nothing here takes a lock.
 */
package dev.statehouse.kanban.sqlite;
