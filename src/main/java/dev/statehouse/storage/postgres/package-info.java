/**
 * Storage's PostgreSQL implementations of the engine strategies declared in {@code storage}
 * ({@link dev.statehouse.storage.RowLocks}, {@link dev.statehouse.storage.ClusterLocks}). Invariant: only what differs by engine lives here; every
 * lock is taken inside the caller's transaction and ends with it.
 */
package dev.statehouse.storage.postgres;
