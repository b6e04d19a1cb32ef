package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.List;

import dev.statehouse.domain.Ids;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import static dev.statehouse.kanban.TaskRepository.TASK_COLUMNS;

/**
 * Claims on PostgreSQL, where claimers on N replicas run at once under READ COMMITTED. The next
 * ready task is chosen with {@code FOR UPDATE SKIP LOCKED}: a claimer passes rows another claimer
 * has locked instead of waiting for it and then finding its row taken ("nothing ready" while tasks
 * are ready). The UPDATE stays guarded ({@code status = 'ready'}), so no task is claimed twice.
 * A batch is one statement: pick, update, runs and events, in one round trip.
 */
@Repository
@ConditionalOnEngine(Engine.POSTGRESQL)
class PostgresClaimQueue implements ClaimQueue {

    /** Ready tasks of an open board that this assignee may take, in claim order, locked, skipping locked ones. */
    private static final String PICK = """
            SELECT id FROM tasks
            WHERE board = ? AND status = 'ready' AND (CAST(? AS TEXT) IS NULL OR assignee IS NULL OR assignee = ?)
              AND (SELECT archived FROM boards WHERE slug = ?) = 0
            ORDER BY priority DESC, created_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    private static final String CLAIM_ONE = """
            UPDATE tasks SET status = 'running', claim_lock = ?, claimed_by = ?, claim_expires = ?, last_heartbeat_at = ?,
                             started_at = COALESCE(started_at, ?), current_run_id = ?, updated_at = ?,
                             assignee = COALESCE(assignee, ?)
            WHERE id = (""" + PICK + """
            ) AND status = 'ready'
            RETURNING\s""" + TASK_COLUMNS;

    /** Locks and run ids arrive as two comma-joined lists (ids are [A-Za-z0-9_-]), the n-th for the n-th picked task. */
    private static final String CLAIM_BATCH = """
            WITH picked AS (""" + PICK + """
            ), numbered AS (
              SELECT id, row_number() OVER () AS n FROM picked
            ), claimed AS (
              UPDATE tasks t SET status = 'running', claim_lock = (string_to_array(?, ','))[numbered.n], claimed_by = ?,
                                 claim_expires = ?, last_heartbeat_at = ?, started_at = COALESCE(t.started_at, ?),
                                 current_run_id = (string_to_array(?, ','))[numbered.n], updated_at = ?,
                                 assignee = COALESCE(t.assignee, ?)
              FROM numbered WHERE t.id = numbered.id AND t.status = 'ready'
              RETURNING t.*
            ), runs AS (
              INSERT INTO task_runs(id, task_id, worker, status, started_at)
              SELECT current_run_id, id, ?, 'running', ? FROM claimed
            ), events AS (
              INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at)
              SELECT board, id, current_run_id, 'claimed', ?, ? FROM claimed ORDER BY priority DESC, created_at, id
            )
            SELECT claim_lock, current_run_id,\s""" + TASK_COLUMNS + " FROM claimed ORDER BY priority DESC, created_at, id";

    private final JdbcTemplate jdbc;
    private final WorkerRepository workers;
    private final TaskJournal journal;

    PostgresClaimQueue(JdbcTemplate jdbc, WorkerRepository workers, TaskJournal journal) {
        this.jdbc = jdbc;
        this.workers = workers;
        this.journal = journal;
    }

    @Override
    public List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max) {
        double now = journal.now();
        double expires = now + leaseSeconds;
        String payload = journal.payload("worker", worker, "lease_seconds", leaseSeconds);
        return max == 1 ? claimOne(board, assignee, worker, expires, now, payload) : claimBatch(board, assignee, worker, expires, now, payload, max);
    }

    /** One task: three short statements beat the batch statement's planning for a single row. */
    private List<Claim> claimOne(String board, String assignee, String worker, double expires, double now, String payload) {
        String lock = Ids.random("lk_", 16);
        String runId = Ids.random("r_", 8);
        List<Task> claimed = jdbc.query(CLAIM_ONE, TaskRepository::mapTask,
                lock, worker, expires, now, now, runId, now, assignee, board, assignee, assignee, board, 1);
        if (claimed.isEmpty()) {
            return List.of();
        }
        Task task = claimed.get(0);
        workers.insertRun(runId, task.id(), worker, now);
        journal.record(board, task.id(), runId, "claimed", payload, now);
        return List.of(new Claim(task, lock, runId, Timestamps.fromEpoch(expires)));
    }

    private List<Claim> claimBatch(String board, String assignee, String worker, double expires, double now, String payload, int max) {
        List<String> locks = new ArrayList<>(max);
        List<String> runs = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            locks.add(Ids.random("lk_", 16));
            runs.add(Ids.random("r_", 8));
        }
        return jdbc.query(CLAIM_BATCH, (rs, i) -> new Claim(TaskRepository.mapTask(rs, i), rs.getString("claim_lock"),
                        rs.getString("current_run_id"), Timestamps.fromEpoch(expires)),
                board, assignee, assignee, board, max,
                String.join(",", locks), worker, expires, now, now, String.join(",", runs), now, assignee,
                worker, now, payload, now);
    }
}
