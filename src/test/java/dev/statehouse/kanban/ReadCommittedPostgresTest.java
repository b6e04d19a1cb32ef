package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.statehouse.support.Http;
import dev.statehouse.support.Postgres;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-then-write paths of the board under PostgreSQL's READ COMMITTED, each raced many times by
 * requests released together: with SQLite's one writer at a time none of these could interleave.
 * The dispatcher is slowed to once an hour, so nothing repairs a lost wake-up behind the test's back.
 */
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCommittedPostgresTest extends ServerTestSupport {

    private static final int ROUNDS = 25;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "readcommitted");
        registry.add("statehouse.kanban.dispatcher-interval", () -> "1h");
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    /** Runs the requests at once (released by one barrier) and returns their responses in order. */
    private List<Http.Response> together(List<Supplier<Http.Response>> requests) throws Exception {
        CyclicBarrier start = new CyclicBarrier(requests.size());
        List<Future<Http.Response>> futures = new ArrayList<>();
        for (Supplier<Http.Response> request : requests) {
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return request.get();
            }));
        }
        List<Http.Response> responses = new ArrayList<>();
        for (Future<Http.Response> f : futures) {
            responses.add(f.get(30, TimeUnit.SECONDS));
        }
        return responses;
    }

    @org.springframework.beans.factory.annotation.Autowired
    Dispatcher dispatcher;

    @Test
    void whileAnotherReplicaHoldsTheDispatcherLockThisOneSkipsItsTick() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("lead"));
        k.readyTask(board, "stale");
        JsonNode claim = k.claim(board, "w", 60);
        String task = claim.get("task").get("id").asString();
        jdbc.update("UPDATE tasks SET claim_expires = 1 WHERE id = ?", task); // long expired
        try (java.sql.Connection other = Postgres.connect(datasourceUrl)) {
            other.setAutoCommit(false);
            try (var s = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                s.setLong(1, DispatchLocks.DISPATCHER_LOCK);
                s.execute(); // "replica B" is in the middle of its tick
            }
            Dispatcher.TickStats skipped = dispatcher.tick();
            assertThat(skipped.error()).isNull();
            assertThat(skipped.reclaimed()).isZero();
            assertThat(k.detail(task).get("status").asString()).as("left to the replica holding the lock").isEqualTo("running");
            other.rollback();
        }
        assertThat(dispatcher.tick().reclaimed()).isGreaterThanOrEqualTo(1);
        assertThat(k.detail(task).get("status").asString()).isEqualTo("ready");
    }

    @Test
    void twoParentsCompletingAtOnceAlwaysPromoteTheirChild() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("promo"));
        int lost = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String p1 = k.readyTask(board, "p1");
            String p2 = k.readyTask(board, "p2");
            String child = k.task(board, "title", "child", "status", "ready", "parents", List.of(p1, p2)).get("id").asString();
            JsonNode c1 = k.claim(board, "w1", 60);
            JsonNode c2 = k.claim(board, "w2", 60);
            List<Http.Response> done = together(List.of(
                    () -> k.act(c1.get("task").get("id").asString(), "complete", "lock", c1.get("lock").asString()),
                    () -> k.act(c2.get("task").get("id").asString(), "complete", "lock", c2.get("lock").asString())));
            assertThat(done).allSatisfy(r -> assertThat(r.status()).as(r.raw().body()).isEqualTo(200));
            if (!"ready".equals(k.detail(child).get("status").asString())) {
                lost++;
            }
            JsonNode c = k.claim(board, "w3", 60); // clear the board for the next round
            if (c != null) {
                k.act(c.get("task").get("id").asString(), "complete", "lock", c.get("lock").asString());
            }
        }
        assertThat(lost).as("children left waiting although both parents were done").isZero();
    }

    @Test
    void aChildCreatedWhileItsParentCompletesIsReadyOnceTheParentIsDone() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("birth"));
        int lost = 0;
        for (int round = 0; round < ROUNDS; round++) {
            k.readyTask(board, "parent");
            JsonNode claim = k.claim(board, "w", 60);
            String parent = claim.get("task").get("id").asString();
            List<Http.Response> r = together(List.of(
                    () -> k.act(parent, "complete", "lock", claim.get("lock").asString()),
                    () -> http.post("/api/boards/" + board + "/tasks", map("title", "child", "status", "ready", "parents", List.of(parent)))));
            assertThat(r.get(0).status()).as(r.get(0).raw().body()).isEqualTo(200);
            assertThat(r.get(1).status()).as(r.get(1).raw().body()).isEqualTo(201);
            if (!"ready".equals(k.detail(r.get(1).json().get("id").asString()).get("status").asString())) {
                lost++;
            }
            JsonNode c = k.claim(board, "w", 60);
            k.act(c.get("task").get("id").asString(), "complete", "lock", c.get("lock").asString());
        }
        assertThat(lost).as("children left in todo although their parent was done").isZero();
    }

    @Test
    void oneIdempotencyKeySentEightTimesAtOnceMakesOneTask() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("idem"));
        for (int round = 0; round < ROUNDS; round++) {
            String key = "key-" + round;
            List<Supplier<Http.Response>> requests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                requests.add(() -> http.post("/api/boards/" + board + "/tasks", map("title", "export", "idempotency_key", key)));
            }
            List<Http.Response> r = together(requests);
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Http.Response response : r) {
                assertThat(response.status()).as(response.raw().body()).isIn(200, 201);
                created += response.status() == 201 ? 1 : 0;
                ids.add(response.json().get("id").asString());
            }
            assertThat(created).as("round %d: created", round).isEqualTo(1);
            assertThat(ids).as("round %d: every answer names the one task", round).hasSize(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ?", Long.class, board)).isEqualTo(ROUNDS);
    }

    @Test
    void ofTwoEndsRacingTheFirstWinsWhole() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = unique("end");
            assertThat(http.post("/api/sessions", map("id", id, "source", "race", "started_at", "2026-01-01T00:00:00Z")).status()).isEqualTo(201);
            together(List.of(
                    () -> http.patch("/api/sessions/" + id, map("end_reason", "compression", "ended_at", "2026-01-01T01:00:00Z")),
                    () -> http.patch("/api/sessions/" + id, map("end_reason", "user_exit", "ended_at", "2026-01-01T02:00:00Z"))));
            JsonNode s = http.get("/api/sessions/" + id).json();
            String pair = s.get("end_reason").asString() + "@" + s.get("ended_at").asString();
            assertThat(pair).as("round %d: reason and time of the same request", round)
                    .isIn("compression@2026-01-01T01:00:00Z", "user_exit@2026-01-01T02:00:00Z");
        }
    }

    @Test
    void concurrentWritesToOneChainLeaveItsLineageAsDefined() throws Exception {
        String source = unique("chain");
        String root = source + "_root";
        assertThat(http.post("/api/sessions", map("id", root, "source", source, "started_at", "2026-01-01T00:00:00Z")).status()).isEqualTo(201);
        String parent = root;
        for (int round = 0; round < ROUNDS; round++) {
            String a = source + "_a" + round;
            String b = source + "_b" + round;
            String p = parent;
            String at = java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * (round + 1)).toString();
            together(List.of(
                    () -> http.post("/api/sessions", map("id", a, "source", source, "parent_session_id", p, "started_at", at)),
                    () -> http.post("/api/sessions", map("id", b, "source", source, "parent_session_id", p, "started_at", at)),
                    () -> http.post("/api/sessions/" + p + "/messages", map("role", "user", "content", "x", "timestamp", at)),
                    () -> http.patch("/api/sessions/" + p, map("end_reason", "compression", "ended_at", at))));
            parent = a;
        }
        List<String> expected = jdbc.queryForList("""
                WITH RECURSIVE chain(id) AS (SELECT ?
                  UNION SELECT s.id FROM sessions s JOIN chain c ON s.parent_session_id = c.id
                        JOIN sessions p ON p.id = c.id
                        WHERE p.end_reason = 'compression' AND s.started_at >= p.ended_at AND s.source = p.source)
                SELECT id FROM chain ORDER BY id""", String.class, root);
        List<String> members = jdbc.queryForList("SELECT id FROM sessions WHERE lineage_root_id = ? ORDER BY id", String.class, root);
        assertThat(members).as("the chain's members as materialised vs as defined").isEqualTo(expected);
        assertThat(jdbc.queryForObject("SELECT lineage_messages FROM sessions WHERE id = ?", Long.class, root))
                .isEqualTo(jdbc.queryForObject("SELECT SUM(message_count) FROM sessions WHERE lineage_root_id = ?", Long.class, root));
    }
}
