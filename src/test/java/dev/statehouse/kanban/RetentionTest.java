package dev.statehouse.kanban;

import java.io.BufferedReader;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

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
        RetentionProperties capped = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), 5, 2, Duration.ofSeconds(10),
                Duration.ofMinutes(1));
        Retention small = new Retention(repo, feed, locks, tx, capped, Clock.systemUTC(), new SimpleMeterRegistry());
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
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetentionProperties(true, Duration.ZERO, Duration.ofDays(1), 10, 10,
                Duration.ofSeconds(1), Duration.ofMinutes(1))).hasMessageContaining("statehouse.retention.events");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetentionProperties(true, Duration.ofDays(1), Duration.ofDays(1), 10, 0,
                Duration.ofSeconds(1), Duration.ofMinutes(1))).hasMessageContaining("batch-size");
    }
}
