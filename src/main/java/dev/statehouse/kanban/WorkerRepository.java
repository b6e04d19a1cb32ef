package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import static dev.statehouse.kanban.TaskRepository.TASK_COLUMNS;

/**
 * Every SQL statement of the worker protocol (claim, heartbeat, release, runs) and of the
 * dispatcher (stale leases, promotions, recoveries). A claim is one UPDATE … RETURNING; every
 * release is guarded by {@code status = 'running' AND claim_lock = ?}, so a stale worker changes nothing.
 */
@Repository
public class WorkerRepository {

    /** Tasks with at least one parent, none of which is unfinished. */
    private static final String PARENTS_DONE = """
            EXISTS (SELECT 1 FROM task_links l WHERE l.child_id = t.id)
            AND NOT EXISTS (SELECT 1 FROM task_links l JOIN tasks p ON p.id = l.parent_id
                            WHERE l.child_id = t.id AND p.status <> 'done')""";

    private final JdbcTemplate jdbc;
    private final DispatchLocks locks;

    public WorkerRepository(JdbcTemplate jdbc, DispatchLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
    }

    /**
     * Claims the next ready task of an open board in one statement: highest priority, then oldest.
     * With an assignee, only tasks assigned to it or to nobody (which it then takes).
     * Returns the claimed task as it now is. SQLite only ({@link SqliteClaimQueue}): without
     * SKIP LOCKED, concurrent claimers on PostgreSQL would wait for one row and then find nothing.
     */
    public Optional<Task> claimNext(String board, String assignee, String lock, String worker, double expires, String runId, double now) {
        return jdbc.query("""
                UPDATE tasks SET status = 'running', claim_lock = ?, claimed_by = ?, claim_expires = ?, last_heartbeat_at = ?,
                                 started_at = COALESCE(started_at, ?), current_run_id = ?, updated_at = ?,
                                 assignee = COALESCE(assignee, ?)
                WHERE id = (SELECT id FROM tasks
                            WHERE board = ? AND status = 'ready' AND (CAST(? AS TEXT) IS NULL OR assignee IS NULL OR assignee = ?)
                              AND (SELECT archived FROM boards WHERE slug = ?) = 0
                            ORDER BY priority DESC, created_at, id LIMIT 1)
                  AND status = 'ready'
                RETURNING\s""" + TASK_COLUMNS, TaskRepository::mapTask,
                lock, worker, expires, now, now, runId, now, assignee, board, assignee, assignee, board).stream().findFirst();
    }

    /**
     * Ends a lease and moves the task on in one statement, setting {@code extraSets} (a fixed list of
     * this class's own) too; empty when the lock no longer holds.
     */
    private Optional<Task> releaseClaim(String id, String lock, TaskStatus status, String extraSets, List<Object> extraArgs, double now) {
        List<Object> args = new ArrayList<>();
        args.add(status.value());
        args.add(now);
        args.addAll(extraArgs);
        args.add(id);
        args.add(lock);
        return jdbc.query("UPDATE tasks SET status = ?, claim_lock = NULL, claimed_by = NULL, claim_expires = NULL,"
                + " current_run_id = NULL, updated_at = ?" + extraSets
                + " WHERE id = ? AND status = 'running' AND claim_lock = ? RETURNING " + TASK_COLUMNS,
                TaskRepository::mapTask, args.toArray()).stream().findFirst();
    }

    /** Completes a claimed task (to done or review) with its result and a clean failure record; empty when the lock no longer holds. */
    Optional<Task> complete(String id, String lock, TaskStatus to, String result, double now) {
        return releaseClaim(id, lock, to, ", result = ?, consecutive_failures = 0, last_failure_error = NULL,"
                + " completed_at = CASE WHEN ? = 'done' THEN ? ELSE completed_at END", java.util.Arrays.asList(result, to.value(), now), now);
    }

    /**
     * A failed run: back to ready with the failure counted, or, with {@code gaveUpReason}, blocked as
     * {@code gave_up}; false when the lock no longer holds.
     */
    boolean fail(String id, String lock, long failures, String error, String gaveUpReason, double now) {
        if (gaveUpReason == null) {
            return releaseClaim(id, lock, TaskStatus.READY, ", consecutive_failures = ?, last_failure_error = ?",
                    List.of(failures, error), now).isPresent();
        }
        return releaseClaim(id, lock, TaskStatus.BLOCKED, ", consecutive_failures = ?, last_failure_error = ?,"
                + " block_kind = 'gave_up', block_reason = ?, blocked_at = ?", List.of(failures, error, gaveUpReason, now), now).isPresent();
    }

    /** Blocks a claimed task by hand ({@code manual}), ending its lease; false when the lock no longer holds. */
    boolean block(String id, String lock, String reason, double now) {
        return releaseClaim(id, lock, TaskStatus.BLOCKED, ", block_kind = 'manual', block_reason = ?, blocked_at = ?",
                List.of(reason, now), now).isPresent();
    }

    /**
     * Takes a lease back for the dispatcher: only while it holds {@code lock} and is expired at the
     * moment of the update. A heartbeat committed after the dispatcher read the lease as stale has
     * moved {@code claim_expires} past {@code now}, and the update then changes nothing (on
     * PostgreSQL the WHERE is re-checked against the row as committed once its lock is free), so a
     * heartbeat's 200 always holds until the {@code claim_expires} it returned.
     */
    boolean reclaim(String id, String lock, double now) {
        return jdbc.update("UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL, claim_expires = NULL,"
                + " current_run_id = NULL, updated_at = ?"
                + " WHERE id = ? AND status = 'running' AND claim_lock = ? AND claim_expires < ?", now, id, lock, now) == 1;
    }

    boolean heartbeat(String id, String lock, double expires, double now) {
        return jdbc.update("UPDATE tasks SET claim_expires = ?, last_heartbeat_at = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'running' AND claim_lock = ?", expires, now, now, id, lock) == 1;
    }

    /** Closes the task's running run, if any; returns its id. */
    String closeRunningRun(String taskId, String status, String outcome, String summary, String error, double now) {
        return jdbc.query("UPDATE task_runs SET status = ?, outcome = ?, summary = ?, error = ?, ended_at = ?"
                + " WHERE task_id = ? AND status = 'running' RETURNING id", (rs, i) -> rs.getString(1),
                status, outcome, summary, error, now, taskId).stream().findFirst().orElse(null);
    }

    public void insertRun(String id, String taskId, String worker, double now) {
        jdbc.update("INSERT INTO task_runs(id, task_id, worker, status, started_at) VALUES (?, ?, ?, 'running', ?)",
                id, taskId, worker, now);
    }

    void closeRun(String runId, String status, String outcome, String summary, String error, double now) {
        if (runId != null) {
            jdbc.update("UPDATE task_runs SET status = ?, outcome = ?, summary = ?, error = ?, ended_at = ?"
                    + " WHERE id = ? AND status = 'running'", status, outcome, summary, error, now, runId);
        }
    }

    /** Children of a task that were waiting only for it (or for parents now all done) become ready. */
    List<Promotable> promoteChildrenOf(String parentId, double now) {
        locks.lockChildrenOf(parentId); // PostgreSQL: the second of two completing parents waits for the first
        return jdbc.query("UPDATE tasks AS t SET status = 'ready', updated_at = ?"
                + " WHERE t.status = 'todo' AND t.id IN (SELECT child_id FROM task_links WHERE parent_id = ?) AND " + PARENTS_DONE
                + " RETURNING id, board", (rs, i) -> new Promotable(rs.getString(1), rs.getString(2)), now, parentId);
    }

    /** Whether this transaction runs the dispatcher's step ({@link DispatchLocks#leadsDispatcherStep}). */
    boolean leadsDispatcherStep() {
        return locks.leadsDispatcherStep();
    }

    record StaleClaim(String id, String board, String lock, String worker, String runId, double expired) {
    }

    List<StaleClaim> staleClaims(double now, int limit) {
        return jdbc.query("SELECT id, board, claim_lock, claimed_by, current_run_id, claim_expires FROM tasks"
                        + " WHERE status = 'running' AND claim_expires < ? ORDER BY claim_expires LIMIT ?",
                (rs, i) -> new StaleClaim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getDouble(6)), now, limit);
    }

    record Promotable(String id, String board) {
    }

    /** todo tasks whose parents are all done. */
    List<Promotable> promotable(int limit) {
        return jdbc.query("SELECT t.id, t.board FROM tasks t WHERE t.status = 'todo' AND " + PARENTS_DONE + " LIMIT ?",
                (rs, i) -> new Promotable(rs.getString(1), rs.getString(2)), limit);
    }

    /** Tasks the breaker gave up on whose parents have all finished since. */
    List<Promotable> recoverable(int limit) {
        return jdbc.query("SELECT t.id, t.board FROM tasks t WHERE t.status = 'blocked' AND t.block_kind = 'gave_up' AND "
                        + PARENTS_DONE + " AND (SELECT MAX(p.completed_at) FROM task_links l JOIN tasks p ON p.id = l.parent_id"
                        + " WHERE l.child_id = t.id) >= t.blocked_at LIMIT ?",
                (rs, i) -> new Promotable(rs.getString(1), rs.getString(2)), limit);
    }

    boolean unblock(String id, TaskStatus to, double now) {
        return jdbc.update("UPDATE tasks SET status = ?, block_kind = NULL, block_reason = NULL, blocked_at = NULL,"
                + " consecutive_failures = 0, updated_at = ? WHERE id = ? AND status = 'blocked'", to.value(), now, id) == 1;
    }
}
