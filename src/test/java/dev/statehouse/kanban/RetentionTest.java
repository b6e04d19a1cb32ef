package dev.statehouse.kanban;

import java.io.BufferedReader;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.statehouse.storage.FreeSpace;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a running server: old board events and old finished runs go, in batches; a running
 * run and its events stay, and so do the tasks; a watcher resuming from before what was pruned is
 * sent a {@code reload}, one resuming from after it the events it missed; a board keeps at most its
 * cap of events. (Rows are aged by moving their timestamps back, as weeks of use would.)
 */
class RetentionTest extends ServerTestSupport {

    private static final double DAYS_30 = 30 * 86400.0;

    @Autowired
    Retention retention;
    @Autowired
    RetentionRepository repo;
    @Autowired
    EventFeed feed;
    @Autowired
    DispatchLocks locks;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    FreeSpace space;

    private KanbanClient k() {
        return new KanbanClient(http);
    }

    private long events(String board) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM task_events WHERE board = ?", Long.class, board);
    }

    private void age(String board) {
        jdbc.update("UPDATE task_events SET created_at = created_at - ? WHERE board = ?", DAYS_30, board);
        jdbc.update("UPDATE task_runs SET started_at = started_at - ?, ended_at = ended_at - ? WHERE task_id IN"
                + " (SELECT id FROM tasks WHERE board = ?)", DAYS_30, DAYS_30, board);
    }

    @Test
    void oldEventsAndFinishedRunsGoRunningOnesAndTasksStay() throws Exception {
        String board = k().board(unique("ret").toLowerCase().replace('_', '-'));
        String done = k().readyTask(board, "done long ago");
        JsonNode first = k().claim(board, "w1", 60);
        assertThat(k().act(done, "complete", "lock", first.get("lock").asString()).status()).isEqualTo(200);
        String running = k().readyTask(board, "running for a month");
        JsonNode second = k().claim(board, "w2", 86400);
        String runningRun = second.get("run_id").asString();
        String oldestId = jdbc.queryForObject("SELECT MIN(id) FROM task_events WHERE board = ?", Long.class, board).toString();
        long eventsOfRunning = jdbc.queryForObject("SELECT COUNT(*) FROM task_events WHERE run_id = ?", Long.class, runningRun);
        age(board);

        // (a scheduled round may take part of the work: what is left is what counts)
        assertThat(retention.round().finished()).isTrue();
        assertThat(events(board)).as("only the running run's events are left").isEqualTo(eventsOfRunning);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM task_runs WHERE task_id = ?", Long.class, done)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM task_runs WHERE id = ?", String.class, runningRun)).isEqualTo("running");
        assertThat(http.get("/api/tasks/" + done).json().get("status").asString()).as("the done task's card stays").isEqualTo("done");
        assertThat(http.get("/api/tasks/" + running).json().get("status").asString()).isEqualTo("running");
        EventPosition horizon = repo.horizon(board).orElseThrow();

        try (Socket behind = BoardEventsTest.watch(port, board, oldestId)) {
            BufferedReader in = BoardEventsTest.lines(behind);
            List<String> read = BoardEventsTest.readUntil(in, "data:");
            assertThat(read).as("resuming from before what was pruned: reload").contains("event:reload");
            assertThat(read.get(read.size() - 1)).contains("\"missed_after\":\"" + oldestId + "\"");
        }
        try (Socket current = BoardEventsTest.watch(port, board, horizon.sseId())) {
            BufferedReader in = BoardEventsTest.lines(current);
            BoardEventsTest.readUntil(in, ":watching");
            k().task(board, "title", "after the prune");
            List<String> read = new java.util.ArrayList<>();
            while (read.stream().noneMatch(l -> l.contains("after the prune"))) {
                read.addAll(BoardEventsTest.readUntil(in, "data:"));
            }
            assertThat(read).as("resuming from the horizon: no reload, the kept events after it, then the new one")
                    .doesNotContain("event:reload").anyMatch(l -> l.contains("\"run_id\":\"" + runningRun + "\""));
        }
        assertThat(events(board)).as("a second round prunes nothing new").isEqualTo(eventsOfRunning + 1);
        retention.round();
        assertThat(events(board)).isEqualTo(eventsOfRunning + 1);
    }

    @Test
    void aBoardKeepsAtMostItsCapOfEventsInSmallBatches() {
        String board = k().board(unique("cap").toLowerCase().replace('_', '-'));
        for (int i = 0; i < 12; i++) {
            k().task(board, "title", "t" + i);
        }
        assertThat(events(board)).isEqualTo(12);
        RetentionProperties capped = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(90), 5, 2, Duration.ofSeconds(10),
                Duration.ofMinutes(1));
        Retention small = new Retention(repo, feed, locks, tx, capped, space, Clock.systemUTC(), new SimpleMeterRegistry());
        Retention.Round round = small.round();
        assertThat(round.finished()).isTrue();
        assertThat(events(board)).isEqualTo(5);
        List<String> kept = jdbc.queryForList("SELECT p.title FROM task_events e JOIN tasks p ON p.id = e.task_id WHERE e.board = ?"
                + " ORDER BY e.id", String.class, board);
        assertThat(kept).as("the newest are kept").containsExactly("t7", "t8", "t9", "t10", "t11");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ?", Long.class, board)).isEqualTo(12);
    }

    @Test
    void windowsAreValidatedOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetentionProperties(true, Duration.ZERO, Duration.ofDays(1), Duration.ZERO, 10, 10,
                Duration.ofSeconds(1), Duration.ofMinutes(1))).hasMessageContaining("statehouse.retention.events");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetentionProperties(true, Duration.ofDays(1), Duration.ofDays(1), Duration.ZERO, 10, 0,
                Duration.ofSeconds(1), Duration.ofMinutes(1))).hasMessageContaining("batch-size");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetentionProperties(true, Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofDays(-1), 10, 10, Duration.ofSeconds(1), Duration.ofMinutes(1))).hasMessageContaining("done-tasks");
    }

    @Test
    void finishedTasksGoAfterTheirWindowWithTheirDetailUnlessAnUnfinishedTaskDependsOnThem() {
        String board = k().board(unique("old").toLowerCase().replace('_', '-'));
        String finished = k().readyTask(board, "finished long ago");
        JsonNode claim = k().claim(board, "w1", 60);
        assertThat(k().act(finished, "complete", "lock", claim.get("lock").asString()).status()).isEqualTo(200);
        assertThat(http.post("/api/tasks/" + finished + "/comments", java.util.Map.of("body", "well done")).status()).isEqualTo(201);
        String archived = k().task(board, "title", "archived long ago").get("id").asString();
        assertThat(http.patch("/api/tasks/" + archived, java.util.Map.of("status", "archived")).status()).isEqualTo(200);
        String parent = k().task(board, "title", "a parent, done long ago").get("id").asString();
        String child = k().task(board, "title", "waits for its parent").get("id").asString();
        assertThat(http.post("/api/tasks/" + child + "/links", java.util.Map.of("parent_id", parent)).status()).isEqualTo(201);
        assertThat(http.patch("/api/tasks/" + parent, java.util.Map.of("status", "archived")).status()).isEqualTo(200);
        String recent = k().task(board, "title", "archived today").get("id").asString();
        assertThat(http.patch("/api/tasks/" + recent, java.util.Map.of("status", "archived")).status()).isEqualTo(200);
        String open = k().task(board, "title", "still to do").get("id").asString();
        for (String id : java.util.List.of(finished, archived, parent, child, open)) {
            jdbc.update("UPDATE tasks SET updated_at = updated_at - ?, created_at = created_at - ? WHERE id = ?", 100 * 86400.0, 100 * 86400.0, id);
        }
        String etag = http.get("/api/boards/" + board + "/tasks").header("ETag");

        Retention.Round round = retention.round();
        assertThat(round.finished()).isTrue();
        for (String gone : java.util.List.of(finished, archived)) {
            assertThat(http.get("/api/tasks/" + gone).status()).as("a finished task past its window is gone").isEqualTo(404);
            for (String table : java.util.List.of("task_events", "task_runs", "task_comments")) {
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE task_id = ?", Long.class, gone)).as(table).isZero();
            }
        }
        assertThat(k().status(parent)).as("a finished task an unfinished one depends on stays").isEqualTo("archived");
        assertThat(k().status(recent)).as("a finished task within its window stays").isEqualTo("archived");
        assertThat(k().status(open)).as("an old task not finished stays").isIn("todo", "triage", "ready");
        Http.Response after = http.request("GET", "/api/boards/" + board + "/tasks", null, "If-None-Match", etag);
        assertThat(after.status()).as("the board's list changed: no 304 for the old ETag").isEqualTo(200);
        assertThat(after.raw().body()).doesNotContain(finished).contains(parent, recent, open);

        RetentionProperties keep = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ZERO, 100000, 500,
                Duration.ofSeconds(10), Duration.ofMinutes(1));
        jdbc.update("UPDATE tasks SET status = 'done' WHERE id = ?", child);
        jdbc.update("UPDATE tasks SET updated_at = updated_at - ? WHERE id IN (?, ?)", 1000 * 86400.0, parent, child);
        assertThat(new Retention(repo, feed, locks, tx, keep, space, Clock.systemUTC(), new SimpleMeterRegistry()).round().tasks())
                .as("done-tasks=0 keeps finished tasks for ever").isZero();
        retention.round();
        assertThat(http.get("/api/tasks/" + parent).status()).as("once its child is finished too, both go").isEqualTo(404);
        assertThat(http.get("/api/tasks/" + child).status()).isEqualTo(404);
    }

    /**
     * The write-turn test: 80,000 old events pruned in batches of 50 while two clients keep creating
     * tasks. The longest time a client's write waited is measured and must stay far below the prune's
     * own length: a prune in one long transaction would hold every writer up for all of it.
     */
    @Test
    void aPruneUnderLoadHoldsWritersUpForABatchNeverForThePrune() throws Exception {
        String board = k().board(unique("load").toLowerCase().replace('_', '-'));
        String task = k().task(board, "title", "many events").get("id").asString();
        jdbc.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000)"
                + " INSERT INTO task_events (board, task_id, kind, payload, created_at) SELECT ?, ?, 'commented', '{}', 1000 FROM n", board, task);
        RetentionProperties small = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(90), 100000, 50,
                Duration.ofSeconds(60), Duration.ofMinutes(1));
        Retention prune = new Retention(repo, feed, locks, tx, small, space, Clock.systemUTC(), new SimpleMeterRegistry());
        java.util.concurrent.atomic.AtomicBoolean pruning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong longest = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int c = 0; c < 2; c++) {
            done.add(clients.submit(() -> {
                while (pruning.get()) {
                    long start = System.nanoTime();
                    k().task(board, "title", "written during the prune");
                    longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                    writes.incrementAndGet();
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        Retention.Round round = prune.round();
        long pruneMillis = (System.nanoTime() - start) / 1_000_000;
        pruning.set(false);
        for (java.util.concurrent.Future<?> f : done) {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        clients.shutdown();
        long longestMillis = longest.get() / 1_000_000;
        System.out.printf("prune of %d events in %d ms; %d writes meanwhile, the longest took %d ms%n", round.events(), pruneMillis,
                writes.get(), longestMillis);
        assertThat(round.events()).isGreaterThanOrEqualTo(80000);
        assertThat(writes.get()).as("the clients kept writing during the prune").isGreaterThan(20);
        assertThat(pruneMillis).as("the prune is long enough for the measure to mean something").isGreaterThan(1000);
        assertThat(longestMillis).as("no write waited for more than a fraction of the prune").isLessThan(Math.max(500, pruneMillis / 4));
    }

    /** The lag gauge: how far past its window the oldest prunable event is when a round ends. */
    @Test
    void theLagSaysHowFarBehindARoundThatRanOutOfBudgetLeftIt() {
        String board = k().board(unique("lag").toLowerCase().replace('_', '-'));
        String task = k().task(board, "title", "old events").get("id").asString();
        jdbc.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                + " INSERT INTO task_events (board, task_id, kind, payload, created_at) SELECT ?, ?, 'commented', '{}', ? FROM n",
                board, task, System.currentTimeMillis() / 1000.0 - 30 * 86400);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetentionProperties tiny = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(90), 100000, 10,
                Duration.ofNanos(1), Duration.ofMinutes(1));
        assertThat(new Retention(repo, feed, locks, tx, tiny, space, Clock.systemUTC(), registry).round().finished()).isFalse();
        double lag = registry.get("statehouse.retention.lag").gauge().value();
        assertThat(lag).as("23 days past a 7-day window").isBetween(22.9 * 86400, 23.1 * 86400);

        SimpleMeterRegistry enough = new SimpleMeterRegistry();
        RetentionProperties roomy = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(90), 100000, 500,
                Duration.ofSeconds(30), Duration.ofMinutes(1));
        assertThat(new Retention(repo, feed, locks, tx, roomy, space, Clock.systemUTC(), enough).round().finished()).isTrue();
        assertThat(enough.get("statehouse.retention.lag").gauge().value()).as("caught up").isZero();
    }
}
