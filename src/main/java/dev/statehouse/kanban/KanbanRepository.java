package dev.statehouse.kanban;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.statehouse.web.Cursor;
import dev.statehouse.web.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every SQL statement of the board, its tasks, runs, events, comments and the dispatcher.
 * Each transition is one guarded UPDATE ({@code WHERE status = ? AND claim_lock = ?}), so a stale
 * or concurrent caller changes nothing and learns it from the row count.
 */
@Repository
public class KanbanRepository {

    static final String TASK_COLUMNS = """
            id, board, title, body, assignee, status, priority, created_by, created_at, updated_at, started_at,
            completed_at, claimed_by, claim_expires, last_heartbeat_at, current_run_id, consecutive_failures,
            last_failure_error, result, idempotency_key, block_kind, block_reason, blocked_at""";

    /** Tasks with at least one parent, none of which is unfinished. */
    private static final String PARENTS_DONE = """
            EXISTS (SELECT 1 FROM task_links l WHERE l.child_id = t.id)
            AND NOT EXISTS (SELECT 1 FROM task_links l JOIN tasks p ON p.id = l.parent_id
                            WHERE l.child_id = t.id AND p.status <> 'done')""";

    private final JdbcTemplate jdbc;
    private volatile Consumer<TaskEvent> eventListener = e -> { };

    public KanbanRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Receives each event after its transaction commits (the SSE fan-out). */
    void onEventCommitted(Consumer<TaskEvent> listener) {
        this.eventListener = listener;
    }

    // ---- boards -------------------------------------------------------------------------------

    boolean insertBoard(String slug, String name, String description, double now) {
        return jdbc.update("INSERT INTO boards(slug, name, description, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(slug) DO NOTHING",
                slug, name, description, now) == 1;
    }

    Optional<Board> findBoard(String slug) {
        List<Board> boards = jdbc.query("SELECT slug, name, description, created_at, archived FROM boards WHERE slug = ?",
                (rs, i) -> mapBoard(rs, taskCounts(rs.getString("slug"))), slug);
        return boards.stream().findFirst();
    }

    /** Whether the board is archived; empty when there is no such board. A cheap check for every write. */
    Optional<Boolean> boardArchived(String slug) {
        return jdbc.query("SELECT archived FROM boards WHERE slug = ?", (rs, i) -> rs.getInt(1) == 1, slug).stream().findFirst();
    }

    List<Board> listBoards(boolean includeArchived) {
        return jdbc.query("SELECT slug, name, description, created_at, archived FROM boards"
                        + (includeArchived ? "" : " WHERE archived = 0") + " ORDER BY created_at, slug",
                (rs, i) -> mapBoard(rs, null));
    }

    boolean archiveBoard(String slug) {
        return jdbc.update("UPDATE boards SET archived = 1 WHERE slug = ?", slug) == 1;
    }

    private Map<String, Long> taskCounts(String slug) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : List.of("triage", "todo", "ready", "running", "blocked", "review", "done", "archived")) {
            counts.put(s, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM tasks WHERE board = ? GROUP BY status",
                rs -> { counts.put(rs.getString(1), rs.getLong(2)); }, slug);
        return counts;
    }

    // ---- tasks --------------------------------------------------------------------------------

    Optional<Task> findTask(String id) {
        return jdbc.query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", KanbanRepository::mapTask, id).stream().findFirst();
    }

    /** The lock of a task, for the guarded transitions (never sent to clients but the claimer). */
    Optional<String> claimLock(String id) {
        return jdbc.query("SELECT claim_lock FROM tasks WHERE id = ?", (rs, i) -> rs.getString(1), id).stream().findFirst();
    }

    Optional<Task> findByIdempotencyKey(String board, String key) {
        return jdbc.query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE board = ? AND idempotency_key = ?",
                KanbanRepository::mapTask, board, key).stream().findFirst();
    }

    void insertTask(String id, String board, String title, String body, String assignee, String status, long priority,
                    String createdBy, String idempotencyKey, double now) {
        jdbc.update("""
                INSERT INTO tasks(id, board, title, body, assignee, status, priority, created_by, created_at, updated_at,
                                  idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, board, title, body, assignee, status, priority, createdBy, now, now, idempotencyKey);
    }

    /** A page of a board's tasks, newest first, keyset-paginated on (created_at, id). */
    List<Task> listTasks(String board, String status, String assignee, Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>(List.of(board));
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM tasks WHERE board = ?");
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (assignee != null) {
            sql.append(" AND assignee = ?");
            args.add(assignee);
        }
        if (cursor != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            args.add(cursor.key());
            args.add(cursor.key());
            args.add(cursor.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), KanbanRepository::mapTask, args.toArray());
    }

    /** Raw created_at of a task, for an exact cursor. */
    double createdAtKey(String id) {
        return jdbc.queryForObject("SELECT created_at FROM tasks WHERE id = ?", Double.class, id);
    }

    void updateFields(String id, List<String> sets, List<Object> args, double now) {
        List<Object> all = new ArrayList<>(args);
        all.add(now);
        all.add(id);
        jdbc.update("UPDATE tasks SET " + String.join(", ", sets) + ", updated_at = ? WHERE id = ?", all.toArray());
    }

    /** Moves a task between two non-running states; false if it was not in {@code from} any more. */
    boolean moveStatus(String id, String from, String to, double now) {
        return jdbc.update("UPDATE tasks SET status = ?, updated_at = ?,"
                + " completed_at = CASE WHEN ? = 'done' THEN ? ELSE completed_at END WHERE id = ? AND status = ?",
                to, now, to, now, id, from) == 1;
    }

    // ---- links --------------------------------------------------------------------------------

    List<String> parents(String id) {
        return jdbc.queryForList("SELECT parent_id FROM task_links WHERE child_id = ? ORDER BY parent_id", String.class, id);
    }

    List<String> children(String id) {
        return jdbc.queryForList("SELECT child_id FROM task_links WHERE parent_id = ? ORDER BY child_id", String.class, id);
    }

    int unfinishedParents(String id) {
        return jdbc.queryForObject("""
                SELECT COUNT(*) FROM task_links l JOIN tasks p ON p.id = l.parent_id
                WHERE l.child_id = ? AND p.status <> 'done'
                """, Integer.class, id);
    }

    /** Whether {@code ancestor} is {@code id} or one of its ancestors (a link the other way would make a cycle). */
    boolean isSelfOrAncestor(String ancestor, String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT l.parent_id FROM task_links l JOIN up ON l.child_id = up.id)
                SELECT EXISTS(SELECT 1 FROM up WHERE id = ?)
                """, Boolean.class, id, ancestor));
    }

    boolean insertLink(String parent, String child) {
        return jdbc.update("INSERT INTO task_links(parent_id, child_id) VALUES (?, ?) ON CONFLICT DO NOTHING", parent, child) == 1;
    }

    boolean deleteLink(String parent, String child) {
        return jdbc.update("DELETE FROM task_links WHERE parent_id = ? AND child_id = ?", parent, child) == 1;
    }

    // ---- the worker protocol ------------------------------------------------------------------

    /**
     * Claims the next ready task of an open board in one statement: highest priority, then oldest.
     * With an assignee, only tasks assigned to it or to nobody (which it then takes).
     * Returns the claimed task as it now is.
     */
    Optional<Task> claimNext(String board, String assignee, String lock, String worker, double expires, String runId, double now) {
        return jdbc.query("""
                UPDATE tasks SET status = 'running', claim_lock = ?, claimed_by = ?, claim_expires = ?, last_heartbeat_at = ?,
                                 started_at = COALESCE(started_at, ?), current_run_id = ?, updated_at = ?,
                                 assignee = COALESCE(assignee, ?)
                WHERE id = (SELECT id FROM tasks
                            WHERE board = ? AND status = 'ready' AND (? IS NULL OR assignee IS NULL OR assignee = ?)
                              AND (SELECT archived FROM boards WHERE slug = ?) = 0
                            ORDER BY priority DESC, created_at, id LIMIT 1)
                  AND status = 'ready'
                RETURNING\s""" + TASK_COLUMNS, KanbanRepository::mapTask,
                lock, worker, expires, now, now, runId, now, assignee, board, assignee, assignee, board).stream().findFirst();
    }

    /** Ends a lease and moves the task on in one statement; empty when the lock no longer holds. */
    Optional<Task> releaseClaimReturning(String id, String lock, String status, String extraSets, List<Object> extraArgs, double now) {
        List<Object> args = new ArrayList<>();
        args.add(status);
        args.add(now);
        args.addAll(extraArgs);
        args.add(id);
        args.add(lock);
        return jdbc.query("UPDATE tasks SET status = ?, claim_lock = NULL, claimed_by = NULL, claim_expires = NULL,"
                + " current_run_id = NULL, updated_at = ?" + extraSets
                + " WHERE id = ? AND status = 'running' AND claim_lock = ? RETURNING " + TASK_COLUMNS,
                KanbanRepository::mapTask, args.toArray()).stream().findFirst();
    }

    /** Closes the task's running run, if any; returns its id. */
    String closeRunningRun(String taskId, String status, String outcome, String summary, String error, double now) {
        return jdbc.query("UPDATE task_runs SET status = ?, outcome = ?, summary = ?, error = ?, ended_at = ?"
                + " WHERE task_id = ? AND status = 'running' RETURNING id", (rs, i) -> rs.getString(1),
                status, outcome, summary, error, now, taskId).stream().findFirst().orElse(null);
    }

    /** Children of a task that were waiting only for it (or for parents now all done) become ready. */
    List<Promotable> promoteChildrenOf(String parentId, double now) {
        return jdbc.query("UPDATE tasks AS t SET status = 'ready', updated_at = ?"
                + " WHERE t.status = 'todo' AND t.id IN (SELECT child_id FROM task_links WHERE parent_id = ?) AND " + PARENTS_DONE
                + " RETURNING id, board", (rs, i) -> new Promotable(rs.getString(1), rs.getString(2)), now, parentId);
    }

    boolean heartbeat(String id, String lock, double expires, double now) {
        return jdbc.update("UPDATE tasks SET claim_expires = ?, last_heartbeat_at = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'running' AND claim_lock = ?", expires, now, now, id, lock) == 1;
    }

    /** Ends the lease: clears the claim and moves the task on; false when the lock no longer holds. */
    boolean releaseClaim(String id, String lock, String status, String extraSets, List<Object> extraArgs, double now) {
        return releaseClaimReturning(id, lock, status, extraSets, extraArgs, now).isPresent();
    }

    void insertRun(String id, String taskId, String worker, double now) {
        jdbc.update("INSERT INTO task_runs(id, task_id, worker, status, started_at) VALUES (?, ?, ?, 'running', ?)",
                id, taskId, worker, now);
    }

    void closeRun(String runId, String status, String outcome, String summary, String error, double now) {
        if (runId != null) {
            jdbc.update("UPDATE task_runs SET status = ?, outcome = ?, summary = ?, error = ?, ended_at = ?"
                    + " WHERE id = ? AND status = 'running'", status, outcome, summary, error, now, runId);
        }
    }

    List<TaskRun> runs(String taskId) {
        return jdbc.query("SELECT id, task_id, worker, status, started_at, ended_at, outcome, summary, error FROM task_runs"
                + " WHERE task_id = ? ORDER BY started_at, id", (rs, i) -> new TaskRun(rs.getString("id"), rs.getString("task_id"),
                rs.getString("worker"), rs.getString("status"), Timestamps.fromEpoch(rs.getDouble("started_at")),
                Timestamps.fromEpoch(rs.getObject("ended_at")), rs.getString("outcome"), rs.getString("summary"),
                rs.getString("error")), taskId);
    }

    // ---- events and comments -----------------------------------------------------------------

    /** Records an event; watchers receive it once the surrounding transaction commits. */
    TaskEvent insertEvent(String board, String taskId, String runId, String kind, String payloadJson, double now) {
        Long id = jdbc.queryForObject("INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", Long.class, board, taskId, runId, kind, payloadJson, now);
        TaskEvent event = new TaskEvent(id, board, taskId, runId, kind, payloadJson, Timestamps.fromEpoch(now));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    eventListener.accept(event);
                }
            });
        } else {
            eventListener.accept(event);
        }
        return event;
    }

    List<TaskEvent> events(String taskId) {
        return jdbc.query("SELECT id, board, task_id, run_id, kind, payload, created_at FROM task_events WHERE task_id = ? ORDER BY id",
                KanbanRepository::mapEvent, taskId);
    }

    List<TaskEvent> boardEventsAfter(String board, long afterId, int limit) {
        return jdbc.query("SELECT id, board, task_id, run_id, kind, payload, created_at FROM task_events"
                + " WHERE board = ? AND id > ? ORDER BY id LIMIT ?", KanbanRepository::mapEvent, board, afterId, limit);
    }

    TaskComment insertComment(String taskId, String author, String body, double now) {
        Long id = jdbc.queryForObject("INSERT INTO task_comments(task_id, author, body, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                Long.class, taskId, author, body, now);
        return new TaskComment(id, taskId, author, body, Timestamps.fromEpoch(now));
    }

    List<TaskComment> comments(String taskId) {
        return jdbc.query("SELECT id, task_id, author, body, created_at FROM task_comments WHERE task_id = ? ORDER BY id",
                (rs, i) -> new TaskComment(rs.getLong("id"), rs.getString("task_id"), rs.getString("author"),
                        rs.getString("body"), Timestamps.fromEpoch(rs.getDouble("created_at"))), taskId);
    }

    // ---- the dispatcher -----------------------------------------------------------------------

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

    boolean unblock(String id, String to, double now) {
        return jdbc.update("UPDATE tasks SET status = ?, block_kind = NULL, block_reason = NULL, blocked_at = NULL,"
                + " consecutive_failures = 0, updated_at = ? WHERE id = ? AND status = 'blocked'", to, now, id) == 1;
    }

    // ---- mapping ------------------------------------------------------------------------------

    private static Board mapBoard(ResultSet rs, Map<String, Long> counts) throws SQLException {
        return new Board(rs.getString("slug"), rs.getString("name"), rs.getString("description"),
                Timestamps.fromEpoch(rs.getDouble("created_at")), rs.getInt("archived") == 1, counts);
    }

    static Task mapTask(ResultSet rs, int row) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("board"), rs.getString("title"), rs.getString("body"),
                rs.getString("assignee"), rs.getString("status"), rs.getLong("priority"), rs.getString("created_by"),
                Timestamps.fromEpoch(rs.getDouble("created_at")), Timestamps.fromEpoch(rs.getDouble("updated_at")),
                Timestamps.fromEpoch(rs.getObject("started_at")), Timestamps.fromEpoch(rs.getObject("completed_at")),
                rs.getString("claimed_by"), Timestamps.fromEpoch(rs.getObject("claim_expires")),
                Timestamps.fromEpoch(rs.getObject("last_heartbeat_at")), rs.getString("current_run_id"),
                rs.getLong("consecutive_failures"), rs.getString("last_failure_error"), rs.getString("result"),
                rs.getString("idempotency_key"), rs.getString("block_kind"), rs.getString("block_reason"),
                Timestamps.fromEpoch(rs.getObject("blocked_at")));
    }

    private static TaskEvent mapEvent(ResultSet rs, int row) throws SQLException {
        return new TaskEvent(rs.getLong("id"), rs.getString("board"), rs.getString("task_id"), rs.getString("run_id"),
                rs.getString("kind"), rs.getString("payload"), Timestamps.fromEpoch(rs.getDouble("created_at")));
    }
}
