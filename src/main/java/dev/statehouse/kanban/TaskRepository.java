package dev.statehouse.kanban;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import dev.statehouse.storage.RowLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every SQL statement about tasks as clients edit them: create, list, patch, links, comments, and
 * the runs a task's detail shows. Each status change is a guarded UPDATE ({@code WHERE status = ?}),
 * so a concurrent caller changes nothing and learns it from the row count.
 */
@Repository
public class TaskRepository {

    public static final String TASK_COLUMNS = """
            id, board, title, body, assignee, status, priority, created_by, created_at, updated_at, started_at,
            completed_at, claimed_by, claim_expires, last_heartbeat_at, current_run_id, consecutive_failures,
            last_failure_error, result, idempotency_key, block_kind, block_reason, blocked_at""";

    private final JdbcTemplate jdbc;
    private final RowLocks locks;

    public TaskRepository(JdbcTemplate jdbc, RowLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
    }

    Optional<Task> findTask(String id) {
        return jdbc.query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", TaskRepository::mapTask, id).stream().findFirst();
    }

    /**
     * The lock of a task, for the guarded transitions (never sent to clients but the claimer); empty
     * for a missing task or one without a lock (it may have been released since the caller read it).
     */
    Optional<String> claimLock(String id) {
        List<String> locks = jdbc.query("SELECT claim_lock FROM tasks WHERE id = ?", (rs, i) -> rs.getString(1), id);
        return locks.isEmpty() ? Optional.empty() : Optional.ofNullable(locks.get(0));
    }

    Optional<Task> findByIdempotencyKey(String board, String key) {
        return jdbc.query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE board = ? AND idempotency_key = ?",
                TaskRepository::mapTask, board, key).stream().findFirst();
    }

    /**
     * Inserts a task; false when the board already has a task with this idempotency key (it may have
     * committed a moment ago, through another replica: the insert waits for it, then does nothing).
     */
    boolean insertTask(String id, String board, String title, String body, String assignee, TaskStatus status, long priority,
                    String createdBy, String idempotencyKey, double now) {
        return jdbc.update("""
                INSERT INTO tasks(id, board, title, body, assignee, status, priority, created_by, created_at, updated_at,
                                  idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(board, idempotency_key) DO NOTHING
                """, id, board, title, body, assignee, status.value(), priority, createdBy, now, now, idempotencyKey) == 1;
    }

    /**
     * PostgreSQL: share-locks the parents a new task is linked to, so that a parent completing at the
     * same moment either finishes first (this transaction then sees it done) or waits for this one
     * (and then promotes the new child). SQLite: nothing to do, its writers take turns.
     */
    void lockParents(List<String> parents) {
        locks.forShare("tasks", parents);
    }

    /** A page of a board's tasks, newest first, keyset-paginated on (created_at, id). */
    List<Task> listTasks(String board, TaskStatus status, String assignee, Cursor cursor, int limit) {
        Query query = listQuery(board, status, assignee, cursor, limit);
        return jdbc.query(query.sql(), TaskRepository::mapTask, query.args());
    }

    /** A statement and its arguments (the plan test reads them too). */
    record Query(String sql, Object[] args) {
    }

    /**
     * The page's statement. The cursor is a row value, {@code (created_at, id) < (?, ?)}, which both
     * engines seek in {@code idx_tasks_board_created} (board, created_at, id); written as an OR it made
     * SQLite walk the board from its newest task, so page n cost n pages.
     */
    Query listQuery(String board, TaskStatus status, String assignee, Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>(List.of(board));
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM tasks WHERE board = ?");
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.value());
        }
        if (assignee != null) {
            sql.append(" AND assignee = ?");
            args.add(assignee);
        }
        if (cursor != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(cursor.key());
            args.add(cursor.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return new Query(sql.toString(), args.toArray());
    }

    /** Raw created_at of a task, for an exact cursor. */
    double createdAtKey(String id) {
        return jdbc.queryForObject("SELECT created_at FROM tasks WHERE id = ?", Double.class, id);
    }

    /** Sets the fields the patch sets (title, body, assignee, priority); false when it sets none. */
    boolean updateFields(String id, TaskPatch p, double now) {
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (p.setTitle()) {
            sets.add("title = ?");
            args.add(p.title());
        }
        if (p.setBody()) {
            sets.add("body = ?");
            args.add(p.body());
        }
        if (p.setAssignee()) {
            sets.add("assignee = ?");
            args.add(p.assignee());
        }
        if (p.priority() != null) {
            sets.add("priority = ?");
            args.add(p.priority());
        }
        if (sets.isEmpty()) {
            return false;
        }
        args.add(now);
        args.add(id);
        jdbc.update("UPDATE tasks SET " + String.join(", ", sets) + ", updated_at = ? WHERE id = ?", args.toArray());
        return true;
    }

    /** Blocks a waiting task by hand ({@code manual}): no lease to end. */
    void blockWaiting(String id, String reason, double now) {
        jdbc.update("UPDATE tasks SET status = 'blocked', block_kind = 'manual', block_reason = ?, blocked_at = ?, updated_at = ?"
                + " WHERE id = ?", reason, now, now, id);
    }

    /** Moves a task between two non-running states; false if it was not in {@code from} any more. */
    boolean moveStatus(String id, TaskStatus from, TaskStatus to, double now) {
        return jdbc.update("UPDATE tasks SET status = ?, updated_at = ?,"
                + " completed_at = CASE WHEN ? = 'done' THEN ? ELSE completed_at END WHERE id = ? AND status = ?",
                to.value(), now, to.value(), now, id, from.value()) == 1;
    }

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

    List<TaskRun> runs(String taskId) {
        return jdbc.query("SELECT id, task_id, worker, status, started_at, ended_at, outcome, summary, error FROM task_runs"
                + " WHERE task_id = ? ORDER BY started_at, id", (rs, i) -> new TaskRun(rs.getString("id"), rs.getString("task_id"),
                rs.getString("worker"), rs.getString("status"), Timestamps.fromEpoch(rs.getDouble("started_at")),
                Timestamps.fromEpoch(rs.getObject("ended_at")), rs.getString("outcome"), rs.getString("summary"),
                rs.getString("error")), taskId);
    }

    public static Task mapTask(ResultSet rs, int row) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("board"), rs.getString("title"), rs.getString("body"),
                rs.getString("assignee"), TaskStatus.of(rs.getString("status")), rs.getLong("priority"), rs.getString("created_by"),
                Timestamps.fromEpoch(rs.getDouble("created_at")), Timestamps.fromEpoch(rs.getDouble("updated_at")),
                Timestamps.fromEpoch(rs.getObject("started_at")), Timestamps.fromEpoch(rs.getObject("completed_at")),
                rs.getString("claimed_by"), Timestamps.fromEpoch(rs.getObject("claim_expires")),
                Timestamps.fromEpoch(rs.getObject("last_heartbeat_at")), rs.getString("current_run_id"),
                rs.getLong("consecutive_failures"), rs.getString("last_failure_error"), rs.getString("result"),
                rs.getString("idempotency_key"), rs.getString("block_kind"), rs.getString("block_reason"),
                Timestamps.fromEpoch(rs.getObject("blocked_at")));
    }
}
