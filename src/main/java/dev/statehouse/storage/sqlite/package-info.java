/**
 * Storage's SQLite implementations of the engine strategies declared in {@code storage}
 * ({@link dev.statehouse.storage.RowLocks}, {@link dev.statehouse.storage.ClusterLocks}). Invariant: only what differs by engine lives here.
 */
package dev.statehouse.storage.sqlite;
