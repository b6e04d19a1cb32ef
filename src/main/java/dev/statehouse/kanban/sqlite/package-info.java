/**
 * The kanban feature on SQLite: {@link dev.statehouse.kanban.sqlite.SqliteClaimQueue} (a claim is one
 * guarded UPDATE per task in one write-queue turn), {@link dev.statehouse.kanban.sqlite.SqliteEventFeed}
 * (ids are in commit order: events go to watchers as they commit) and
 * {@link dev.statehouse.kanban.sqlite.SqliteDispatchLocks}. Invariant: only what differs by engine lives
 * here; one process writes at a time, so nothing here takes a lock.
 */
package dev.statehouse.kanban.sqlite;
