/**
 * The kanban board, split by what it does:
 * <ul>
 * <li>boards — {@link dev.statehouse.kanban.BoardController}, {@link dev.statehouse.kanban.BoardService},
 * {@link dev.statehouse.kanban.BoardRepository};</li>
 * <li>tasks with links and comments — {@link dev.statehouse.kanban.TaskController},
 * {@link dev.statehouse.kanban.TaskService}, {@link dev.statehouse.kanban.TaskRepository};</li>
 * <li>the worker protocol (claim, heartbeat, complete, fail, block) — {@link dev.statehouse.kanban.WorkerController},
 * {@link dev.statehouse.kanban.WorkerService}, {@link dev.statehouse.kanban.WorkerRepository}, and the claim
 * statements, which differ by engine: {@link dev.statehouse.kanban.ClaimQueue};</li>
 * <li>the dispatcher (stale leases, promotions, recoveries) — {@link dev.statehouse.kanban.Dispatcher},
 * {@link dev.statehouse.kanban.DispatcherSteps};</li>
 * <li>events — {@link dev.statehouse.kanban.TaskEventRepository} (the journal),
 * {@link dev.statehouse.kanban.BoardEvents} (SSE fan-out), {@link dev.statehouse.kanban.BoardEventsController},
 * and where committed events and backlogs come from, which differs by engine:
 * {@link dev.statehouse.kanban.EventFeed};</li>
 * <li>retention (old events and finished runs pruned in batches, the event horizon) —
 * {@link dev.statehouse.kanban.Retention}, {@link dev.statehouse.kanban.RetentionRepository}.</li>
 * </ul>
 * What differs by engine is a strategy here ({@code ClaimQueue}, {@code EventFeed}, {@code DispatchLocks})
 * with its implementations in {@code kanban.sqlite} and {@code kanban.postgres}: no other class of the
 * feature knows which engine it runs on.
 * Invariants: every transition is one guarded UPDATE ({@code WHERE status = ? [AND claim_lock = ?]}),
 * so a stale or concurrent caller changes nothing and learns it from the row count; every transition
 * writes its event in the same transaction; watchers receive an event only after its commit, once,
 * in commit order, and a watcher is sent only events after the position it already has
 * ({@code EventPosition}: its Last-Event-ID, then each event sent), whichever replica it is on; a
 * claim hands a task to exactly one worker; a reclaim takes only a lease that is expired at the
 * moment of its update, so a heartbeat's 200 holds until the expiry it returned. On PostgreSQL (READ COMMITTED, N
 * replicas) a decision that reads other rows locks them first (children on promotion, parents on
 * creation), and the dispatcher's steps run on one replica at a time. Retention never deletes a
 * running run or its events, nor a task; it moves a board's horizon past the events it deletes in
 * the same transaction, and a watcher resuming from before the horizon is sent a reload.
 */
package dev.statehouse.kanban;
