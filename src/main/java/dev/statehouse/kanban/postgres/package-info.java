/**
 * The kanban feature's PostgreSQL forms ({@link dev.statehouse.kanban.DispatchLocks}). Invariant: only
 * what differs by engine lives here; every lock is transaction-scoped (released at commit or when the
 * session dies), never held across requests.
 */
package dev.statehouse.kanban.postgres;
