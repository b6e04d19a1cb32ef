package dev.statehouse.kanban;

import java.io.BufferedReader;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.statehouse.support.Http;
import dev.statehouse.support.Postgres;
import dev.statehouse.support.ServerTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * This replica's commits wake its event relay (its poll interval is an hour here), and waking it
 * never holds up the committer. A committing request still holds its pooled connection when it wakes the event relay (a complete,
 * a transaction writing an event); the relay needs a connection to poll. With a pool of two and
 * eight workers claiming and completing, a wake-up that waited for the relay would starve the pool
 * until its timeout (503s); none may.
 */
@DirtiesContext
class RelayWakeupPostgresTest extends ServerTestSupport {

    @Autowired
    BoardEvents events;

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "wakeup");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "2");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "3000");
        registry.add("statehouse.kanban.relay-interval", () -> "1h"); // only wake-ups make it poll
    }

    @Test
    void claimersOnASmallPoolNeverWaitForTheRelay() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("wake"));
        jdbc.update("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)"
                + " SELECT 't_wake_' || g, ?, 'task', 'ready', 0, g, 0 FROM generate_series(1, 400) g", board);
        try (Socket watcher = BoardEventsTest.watch(port, board, null)) { // a watcher, so the relay delivers
            AtomicInteger claimed = new AtomicInteger();
            AtomicInteger busy = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int w = 0; w < 8; w++) {
                pool.submit(() -> {
                    while (true) {
                        Http.Response r = http.post("/api/boards/" + board + "/claims", map("worker", "w", "ttlSeconds", 600));
                        if (r.status() == 204) {
                            return;
                        }
                        if (r.status() == 503) {
                            busy.incrementAndGet();
                        } else {
                            assertThat(r.status()).isEqualTo(200);
                            claimed.incrementAndGet();
                            Http.Response done = http.post("/api/tasks/" + r.json().get("task").get("id").asString() + "/complete",
                                    map("lock", r.json().get("lock").asString(), "result", "ok"));
                            if (done.status() == 503) {
                                busy.incrementAndGet();
                            } else {
                                assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
                            }
                        }
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            assertThat(busy).as("claims refused for want of a pooled connection").hasValue(0);
            assertThat(claimed).hasValue(400);
        }
    }

    /** A watcher gets claims' events at once, single and batch (each claim is one statement, committed on its own). */
    @Test
    void claimsWakeTheRelay() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("woken"));
        for (int i = 0; i < 3; i++) {
            k.readyTask(board, "task " + i);
        }
        try (Socket s = BoardEventsTest.watch(port, board, null)) { // 5 s read timeout, far below the relay's interval
            BufferedReader in = BoardEventsTest.lines(s);
            BoardEventsTest.readUntil(in, ":watching");
            k.claim(board, "w", 60);
            assertThat(BoardEventsTest.readUntil(in, "event:")).contains("event:claimed");
            Http.Response batch = http.post("/api/boards/" + board + "/claims/batch", map("worker", "w", "ttlSeconds", 60, "max", 2));
            assertThat(batch.status()).as(batch.raw().body()).isEqualTo(200);
            assertThat(BoardEventsTest.readUntil(in, "event:")).contains("event:claimed");
            assertThat(BoardEventsTest.readUntil(in, "event:")).contains("event:claimed");
        }
    }

    /**
     * With no watcher on this replica the relay reads nothing (each claim used to cost a read of
     * the event table as well); a watcher that comes back with its Last-Event-ID still gets every
     * event committed while nobody watched, then live ones.
     */
    @Test
    void aReplicaWithoutWatchersReadsNoEventsAndAReturningWatcherMissesNone() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("idle"));
        for (int i = 0; i < 6; i++) {
            k.readyTask(board, "task " + i);
        }
        String last;
        try (Socket s = BoardEventsTest.watch(port, board, null)) {
            BufferedReader in = BoardEventsTest.lines(s);
            BoardEventsTest.readUntil(in, ":watching");
            k.claim(board, "w", 60);
            List<String> read = BoardEventsTest.readUntil(in, "id:");
            last = read.get(read.size() - 1);
            assertThat(last).startsWith("id:");
        }
        BoardEventsTest.awaitWatchers(events, 0);
        double polls = polls();
        for (int i = 0; i < 3; i++) {
            k.claim(board, "w", 60);
        }
        Thread.sleep(500); // the relay is woken at once: give it time to (not) read
        assertThat(polls()).as("event-table reads with no watcher").isEqualTo(polls);

        try (Socket s = BoardEventsTest.watch(port, board, last.substring(3).trim())) {
            BufferedReader in = BoardEventsTest.lines(s);
            for (int i = 0; i < 3; i++) { // the backlog: the three claims made while nobody watched
                assertThat(BoardEventsTest.readUntil(in, "event:")).contains("event:claimed");
            }
            k.claim(board, "w", 60);
            assertThat(BoardEventsTest.readUntil(in, "event:")).contains("event:claimed");
            assertThat(polls()).isGreaterThan(polls);
        }
    }

    private double polls() {
        return registry.get("statehouse.kanban.relay.polls").counter().count();
    }
}
