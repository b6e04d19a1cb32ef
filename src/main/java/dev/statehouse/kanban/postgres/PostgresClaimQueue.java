package dev.statehouse.kanban.postgres;

import java.util.ArrayList;
import java.util.List;

import dev.statehouse.domain.Ids;
import dev.statehouse.kanban.Claim;
import dev.statehouse.kanban.ClaimQueue;
import dev.statehouse.kanban.TaskEvent;
import dev.statehouse.kanban.TaskEventRepository;
import dev.statehouse.kanban.TaskJournal;
import dev.statehouse.kanban.TaskRepository;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import static dev.statehouse.kanban.TaskRepository.TASK_COLUMNS;

/**
 * Claims on PostgreSQL, where claimers on N replicas run at once under READ COMMITTED. The next
 * ready task is chosen with {@code FOR UPDATE SKIP LOCKED}: a claimer passes rows another claimer
 * has locked instead of waiting for it and then finding its row taken ("nothing ready" while tasks
 * are ready). The UPDATE stays guarded ({@code status = 'ready'}), so no task is claimed twice.
 * A claim, single or batch, is one statement (pick, update, runs, events), run on its own: one
 * round trip, atomic without an explicit transaction (four round trips with one: BEGIN and the
 * update, the run, the event, COMMIT; measured in docs/benchmarks.md, issue 16).
 */
@Repository
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresClaimQueue implements ClaimQueue {

    /**
     * Ready tasks of an open board that this assignee may take, in claim order, locked, skipping
     * locked ones; at most {@code limit}, written into the statement as a literal.
     */
    private static String pick(int limit) {
        return """
                SELECT id FROM tasks
                WHERE board = ? AND status = 'ready' AND (CAST(? AS TEXT) IS NULL OR assignee IS NULL OR assignee = ?)
                  AND (SELECT archived FROM boards WHERE slug = ?) = 0
                ORDER BY priority DESC, created_at, id
                LIMIT\s""" + limit + " FOR UPDATE SKIP LOCKED";
    }

    /** After {@code claimed}: each claimed task's run and event, and the claims in claim order with their event ids. */
    private static final String RUNS_AND_EVENTS = """
            ), runs AS (
              INSERT INTO task_runs(id, task_id, worker, status, started_at)
              SELECT current_run_id, id, ?, 'running', ? FROM claimed
            ), events AS (
              INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at)
              SELECT board, id, current_run_id, 'claimed', ?, ? FROM claimed ORDER BY priority DESC, created_at, id
              RETURNING id, task_id
            )
            SELECT (SELECT events.id FROM events WHERE events.task_id = claimed.id) AS event_id, claim_lock,
                   current_run_id,\s""" + TASK_COLUMNS + " FROM claimed ORDER BY priority DESC, created_at, id";

    /**
     * One task: a scalar pick (the batch form's numbering costs a single claim a fifth of its rate).
     * {@code LIMIT 1} is a literal: with {@code LIMIT ?} the server's generic plan assumes a tenth of
     * the queue comes back, costs far more than the custom plan, and so the statement was planned
     * anew on every claim (a third of its server time; docs/benchmarks.md, issue 16).
     */
    private static final String CLAIM_ONE = """
            WITH claimed AS (
              UPDATE tasks SET status = 'running', claim_lock = ?, claimed_by = ?, claim_expires = ?, last_heartbeat_at = ?,
                               started_at = COALESCE(started_at, ?), current_run_id = ?, updated_at = ?,
                               assignee = COALESCE(assignee, ?)
              WHERE id = (""" + pick(1) + """
              ) AND status = 'ready'
              RETURNING *
            """ + RUNS_AND_EVENTS;

    /**
     * Up to {@code max} tasks (an int the service checked: written into the statement, which the
     * driver then keeps per batch size, so the server keeps a generic plan as for {@link #CLAIM_ONE}).
     * Locks and run ids arrive as two comma-joined lists (ids are [A-Za-z0-9_-]), the n-th for the
     * n-th picked task.
     */
    private static String claimBatch(int max) {
        return """
            WITH picked AS (""" + pick(max) + """
            ), numbered AS (
              SELECT id, row_number() OVER () AS n FROM picked
            ), claimed AS (
              UPDATE tasks t SET status = 'running', claim_lock = (string_to_array(?, ','))[numbered.n], claimed_by = ?,
                                 claim_expires = ?, last_heartbeat_at = ?, started_at = COALESCE(t.started_at, ?),
                                 current_run_id = (string_to_array(?, ','))[numbered.n], updated_at = ?,
                                 assignee = COALESCE(t.assignee, ?)
              FROM numbered WHERE t.id = numbered.id AND t.status = 'ready'
              RETURNING t.*
            """ + RUNS_AND_EVENTS;
    }

    /** A claim and the id of the {@code claimed} event its statement wrote. */
    private record Claimed(Claim claim, long eventId) {
    }

    private final JdbcTemplate jdbc;
    private final TaskJournal journal;
    private final TaskEventRepository events;

    public PostgresClaimQueue(JdbcTemplate jdbc, TaskJournal journal, TaskEventRepository events) {
        this.jdbc = jdbc;
        this.journal = journal;
        this.events = events;
    }

    @Override
    public List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max) {
        double now = journal.now();
        double expires = now + leaseSeconds;
        String payload = journal.payload("worker", worker, "lease_seconds", leaseSeconds);
        RowMapper<Claimed> claims = (rs, row) -> new Claimed(new Claim(TaskRepository.mapTask(rs, row), rs.getString("claim_lock"),
                rs.getString("current_run_id"), Timestamps.fromEpoch(expires)), rs.getLong("event_id"));
        List<Claimed> claimed;
        if (max == 1) {
            claimed = jdbc.query(CLAIM_ONE, claims, Ids.random("lk_", 16), worker, expires, now, now, Ids.random("r_", 8), now,
                    assignee, board, assignee, assignee, board, worker, now, payload, now);
        } else {
            List<String> locks = new ArrayList<>(max);
            List<String> runs = new ArrayList<>(max);
            for (int i = 0; i < max; i++) {
                locks.add(Ids.random("lk_", 16));
                runs.add(Ids.random("r_", 8));
            }
            claimed = jdbc.query(claimBatch(max), claims, board, assignee, assignee, board,
                    String.join(",", locks), worker, expires, now, now, String.join(",", runs), now, assignee,
                    worker, now, payload, now);
        }
        for (Claimed c : claimed) { // the relay delivers them (in commit order); this only wakes it
            events.announce(new TaskEvent(c.eventId(), board, c.claim().task().id(), c.claim().runId(), "claimed", payload,
                    Timestamps.fromEpoch(now)));
        }
        return claimed.stream().map(Claimed::claim).toList();
    }
}
