/**
 * The kanban feature on PostgreSQL (N replicas, READ COMMITTED):
 * {@link dev.statehouse.kanban.postgres.PostgresClaimQueue} ({@code FOR UPDATE SKIP LOCKED}, one
 * statement per claim), {@link dev.statehouse.kanban.postgres.PostgresEventRelay} (reads events in commit
 * order, so every replica's watchers see what any replica wrote) and
 * {@link dev.statehouse.kanban.postgres.PostgresDispatchLocks}. Invariant: only what differs by engine
 * lives here; every lock is transaction-scoped (released at commit or when the session dies), never held
 * across requests.
 */
package dev.statehouse.kanban.postgres;
