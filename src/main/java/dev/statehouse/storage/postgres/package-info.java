/**
 * Storage that exists on PostgreSQL only: this pod's sessions as the server sees them
 * ({@link dev.statehouse.storage.postgres.PostgresSessions}, for the fdLeak rules), and the PostgreSQL
 * implementations of the strategies declared in {@code storage} ({@link dev.statehouse.storage.RowLocks},
 * {@link dev.statehouse.storage.ClusterLocks}). Invariant: only what differs by engine lives here;
 * every lock is taken inside the caller's transaction and ends with it.
 */
package dev.statehouse.storage.postgres;
