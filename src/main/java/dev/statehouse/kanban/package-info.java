/**
 * The kanban board, split by what it does:
 * <ul>
 * <li>boards — {@link dev.statehouse.kanban.BoardController}, {@link dev.statehouse.kanban.BoardService},
 * {@link dev.statehouse.kanban.BoardRepository};</li>
 * <li>tasks with links and comments — {@link dev.statehouse.kanban.TaskController},
 * {@link dev.statehouse.kanban.TaskService}, {@link dev.statehouse.kanban.TaskRepository};</li>
 * <li>the worker protocol (claim, heartbeat, complete, fail, block) — {@link dev.statehouse.kanban.WorkerController},
 * {@link dev.statehouse.kanban.WorkerService}, {@link dev.statehouse.kanban.WorkerRepository};</li>
 * <li>the dispatcher (stale leases, promotions, recoveries) — {@link dev.statehouse.kanban.Dispatcher},
 * {@link dev.statehouse.kanban.DispatcherSteps};</li>
 * <li>events — {@link dev.statehouse.kanban.TaskEventRepository} (the journal),
 * {@link dev.statehouse.kanban.BoardEvents} (SSE fan-out), {@link dev.statehouse.kanban.BoardEventsController}.</li>
 * </ul>
 * Invariants: every transition is one guarded UPDATE ({@code WHERE status = ? [AND claim_lock = ?]}),
 * so a stale or concurrent caller changes nothing and learns it from the row count; every transition
 * writes its event in the same transaction; watchers receive an event only after its commit; a
 * claim hands a task to exactly one worker.
 */
package dev.statehouse.kanban;
