package dev.statehouse.kanban;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.statehouse.storage.Timestamps;
import dev.statehouse.support.Http;
import dev.statehouse.support.Postgres;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats raced against reclaims on PostgreSQL (READ COMMITTED): workers heartbeat each lease
 * just around its expiry while dispatcher steps reclaim stale leases on other threads. A heartbeat
 * answered 200 promises the lease until the {@code claim_expires} it returned; no reclaim may take
 * that lease before then. The dispatcher's own timer is slowed to once an hour: only the test reclaims.
 */
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseRacePostgresTest extends ServerTestSupport {

    private static final int TASKS = 160;
    private static final int HEARTBEATERS = 8;
    private static final int RECLAIMERS = 2;
    private static final long RUN_MILLIS = 7_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(HEARTBEATERS + RECLAIMERS);

    @Autowired
    DispatcherSteps steps;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "leaserace");
        registry.add("statehouse.kanban.dispatcher-interval", () -> "1h");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "16");
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    /** A heartbeat the service acknowledged: the lease it holds, and until when. */
    private record Ack(String task, String lock, double expires) {
    }

    @Test
    void aReclaimNeverTakesALeaseAHeartbeatAcknowledged() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("leaserace"));
        jdbc.update("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)"
                + " SELECT 't_lr_' || g, ?, 'task ' || g, 'ready', 0, g, 0 FROM generate_series(1, ?) g", board, TASKS);
        // every lease is claimed for 3 s, renewed for one second by all heartbeaters at once (so the
        // leases expire together and a reclaim pass finds many), then renewed just after its expiry,
        // over and over: {task, lock, when to renew, renewed yet}
        List<String[]> leases = new ArrayList<>();
        while (leases.size() < TASKS) {
            Http.Response r = http.post("/api/boards/" + board + "/claims/batch", map("worker", "w", "ttlSeconds", 3, "max", 100));
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            for (JsonNode c : r.json().get("claims")) {
                leases.add(new String[] {c.get("task").get("id").asString(), c.get("lock").asString(), null, null});
            }
        }
        Instant start = Instant.now().plusMillis(100);
        for (int i = 0; i < leases.size(); i++) {
            leases.get(i)[2] = start.toString(); // the first renewal's moment
        }
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        List<Future<?>> running = new ArrayList<>();
        for (int h = 0; h < HEARTBEATERS; h++) {
            List<String[]> mine = new ArrayList<>();
            for (int i = h; i < leases.size(); i += HEARTBEATERS) {
                mine.add(leases.get(i));
            }
            running.add(pool.submit(() -> heartbeatAroundExpiry(mine, acks, late, end)));
        }
        for (int r = 0; r < RECLAIMERS; r++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    steps.reclaimStale(500);
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }

        List<Map<String, Object>> reclaims = jdbc.queryForList("SELECT task_id, created_at, payload FROM task_events"
                + " WHERE board = ? AND kind = 'reclaimed'", board);
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> reclaim : reclaims) {
            double at = ((Number) reclaim.get("created_at")).doubleValue();
            String stale = Http.JSON.readTree((String) reclaim.get("payload")).get("stale_lock").asString();
            for (Ack ack : acks) {
                if (ack.lock().equals(stale) && at < ack.expires() - 0.001) {
                    violations.add(ack.task() + ": reclaimed at " + Timestamps.fromEpoch(at) + ", lease acknowledged until "
                            + Timestamps.fromEpoch(ack.expires()) + " (" + reclaim.get("payload") + ")");
                }
            }
        }
        System.out.printf("lease race: %d heartbeats acknowledged (%d sent after their lease expired), %d reclaims, %d acknowledged leases taken early%n",
                acks.size(), late.get(), reclaims.size(), violations.size());
        assertThat(late.get()).as("heartbeats sent after expiry, racing the reclaims").isGreaterThan(TASKS / 2);
        assertThat(acks).as("heartbeats acknowledged").hasSizeGreaterThanOrEqualTo(TASKS);
        assertThat(reclaims).as("leases reclaimed (the race ran)").isNotEmpty();
        assertThat(violations).as("acknowledged leases taken by a reclaim before they expired").isEmpty();
    }

    /**
     * Renews each lease at a random moment up to 30 ms after its expiry (the first renewal at its
     * given moment, before expiry), racing the reclaims; a lease that was reclaimed (409) is done with.
     */
    private Void heartbeatAroundExpiry(List<String[]> leases, List<Ack> acks, java.util.concurrent.atomic.AtomicInteger late, long end) throws InterruptedException {
        List<String[]> live = new ArrayList<>(leases);
        while (System.nanoTime() < end && !live.isEmpty()) {
            live.sort(java.util.Comparator.comparing(a -> Instant.parse(a[2])));
            String[] next = live.get(0);
            long at = Instant.parse(next[2]).toEpochMilli() + ThreadLocalRandom.current().nextLong(0, 30);
            long wait = at - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            if (next[3] != null) { // renewed before: this one is sent after its expiry
                late.incrementAndGet();
            }
            Http.Response r = http.post("/api/tasks/" + next[0] + "/heartbeat", map("lock", next[1], "ttlSeconds", 1));
            if (r.status() == 200) {
                String expires = r.json().get("claim_expires").asString();
                acks.add(new Ack(next[0], next[1], Timestamps.toEpoch(Instant.parse(expires))));
                next[2] = expires;
                next[3] = "renewed";
            } else {
                System.out.println("hb " + r.status() + " " + (System.currentTimeMillis() - Instant.parse(next[2]).toEpochMilli()) + " " + r.raw().body());
                assertThat(r.status()).as(r.raw().body()).isEqualTo(409);
                live.remove(0);
            }
        }
        return null;
    }
}
