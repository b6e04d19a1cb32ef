package dev.statehouse.it;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.statehouse.support.Postgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three packaged Statehouse processes on one PostgreSQL: 16 claimers spread over them claim and
 * complete 1,000 tasks while one replica is killed with SIGKILL mid-run; a watcher on replica 1
 * sees every board event, written through any replica, once and in commit order, and resumes on
 * replica 2 with Last-Event-ID; a write through one replica is read back through the others.
 */
class MultiReplicaIT {

    private static final String TOKEN = "it-token-replicas-0123456789";
    private static final int TASKS = 1000;

    /**
     * A board watcher, collecting SSE ids in arrival order. An HTTP client that decodes the chunked
     * stream: a raw socket would see chunk-size lines cut into event lines under load.
     */
    private static final class Watcher implements AutoCloseable {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        private final java.util.stream.Stream<String> lines;
        private final Thread reader;

        Watcher(int port, String board, String lastEventId) throws Exception {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/boards/" + board + "/events"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TOKEN);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            lines = response.body();
            java.util.Iterator<String> it = lines.iterator();
            while (it.hasNext() && !it.next().startsWith(":watching")) {
                // until the stream is open
            }
            reader = new Thread(() -> {
                try {
                    while (it.hasNext()) {
                        String l = it.next();
                        if (l.startsWith("id:")) {
                            ids.add(l.substring(3));
                        }
                    }
                } catch (RuntimeException closed) {
                    // closed by the test
                }
            });
            reader.start();
        }

        String last() {
            return ids.get(ids.size() - 1);
        }

        @Override
        public void close() throws Exception {
            lines.close();
            reader.join(5000);
        }
    }

    @Test
    void threeReplicasShareTheBoardSurviveAKilledReplicaAndStreamEveryEventInOrder() throws Exception {
        String url = Postgres.newDatabase("replicas");
        JdbcTemplate db = Postgres.jdbc(url);
        List<JarProcess> replicas = new ArrayList<>();
        ExecutorService claimers = Executors.newFixedThreadPool(16);
        try {
            for (int r = 1; r <= 3; r++) {
                JarProcess jar = JarProcess.start(Files.createTempDirectory("statehouse-replica-"), List.of(),
                        "--spring.datasource.url=" + url, "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--spring.datasource.hikari.maximum-pool-size=6", "--spring.datasource.hikari.minimum-idle=2",
                        "--statehouse.postgresql.application-name=statehouse-it-" + r,
                        "--statehouse.auth.tokens.it.token=" + TOKEN, "--statehouse.auth.tokens.it.scopes=read,write,metrics",
                        "--statehouse.kanban.dispatcher-interval=500ms");
                jar.token = TOKEN;
                replicas.add(jar);
            }
            JarProcess r1 = replicas.get(0);
            JarProcess r2 = replicas.get(1);
            JarProcess r3 = replicas.get(2);
            assertThat(r1.get("/actuator/info").body()).contains("\"engine\":\"postgresql\"");

            // a write through one replica is read back through the others at once (the sidebar too)
            assertThat(r2.post("/api/sessions", "{\"id\":\"written_on_2\",\"source\":\"replicas\",\"title\":\"two\"}").statusCode()).isEqualTo(201);
            assertThat(r1.get("/api/sessions?source=replicas&include_empty=true").body()).contains("written_on_2");
            assertThat(r3.get("/api/sessions/written_on_2").statusCode()).isEqualTo(200);
            assertThat(r3.post("/api/sessions/written_on_2/messages", "{\"role\":\"user\",\"content\":\"hi\"}").statusCode()).isEqualTo(201);
            assertThat(r1.get("/api/sessions?source=replicas").body()).contains("\"message_count\":1");

            assertThat(r1.post("/api/boards", "{\"slug\":\"replicated\",\"name\":\"Replicated\"}").statusCode()).isEqualTo(201);
            Watcher first = new Watcher(r1.port, "replicated", null);
            for (int i = 0; i < TASKS; i += 100) {
                StringBuilder sql = new StringBuilder("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at) VALUES ");
                for (int j = i; j < i + 100; j++) {
                    sql.append(j == i ? "" : ",").append("('t_rep_").append(String.format("%04d", j)).append("', 'replicated', 'task ")
                            .append(j).append("', 'ready', ").append(j % 7).append(", ").append(1_000_000 + j).append(", 0)");
                }
                db.update(sql.toString());
            }

            Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
            AtomicInteger claims = new AtomicInteger();
            AtomicInteger connectionErrors = new AtomicInteger();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean killed = new AtomicBoolean();
            for (int w = 0; w < 16; w++) {
                int worker = w;
                claimers.submit(() -> {
                    int replica = worker % 3;
                    int idle = 0;
                    while (idle < 40 && failures.size() < 10) {
                        JarProcess jar = replicas.get(replica);
                        try {
                            var r = jar.post("/api/boards/replicated/claims", "{\"worker\":\"w" + worker + "\",\"ttl_seconds\":3}");
                            if (r.statusCode() == 204) {
                                idle++;
                                Thread.sleep(250); // nothing ready: leases of the killed replica are still running out
                                continue;
                            }
                            if (r.statusCode() == 503) {
                                continue;
                            }
                            if (r.statusCode() != 200) {
                                failures.add("claim " + r.statusCode() + " " + r.body());
                                continue;
                            }
                            idle = 0;
                            claims.incrementAndGet();
                            String task = r.body().replaceAll("(?s).*\"task\":\\{\"id\":\"([^\"]+)\".*", "$1");
                            String lock = r.body().replaceAll("(?s).*\"lock\":\"([^\"]+)\".*", "$1");
                            var done = jar.post("/api/tasks/" + task + "/complete", "{\"lock\":\"" + lock + "\",\"result\":\"ok\"}");
                            if (done.statusCode() == 200) {
                                completions.computeIfAbsent(task, t -> new AtomicInteger()).incrementAndGet();
                            } else if (done.statusCode() != 409) { // 409: the lease was reclaimed meanwhile
                                failures.add("complete " + done.statusCode() + " " + done.body());
                            }
                        } catch (java.io.IOException e) {
                            connectionErrors.incrementAndGet();
                            replica = (replica + 1) % 3; // that replica is gone: a worker moves to another
                        } catch (Exception e) {
                            failures.add(e.toString());
                            return;
                        }
                    }
                });
            }
            while (claims.get() < TASKS / 3) {
                Thread.sleep(20);
            }
            r3.process.destroyForcibly(); // kill -9, mid-run: its open leases are left behind
            killed.set(true);
            assertThat(r3.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

            while (claims.get() < TASKS * 2 / 3) {
                Thread.sleep(20);
            }
            first.close();
            String resumeFrom = first.last();
            Watcher second = new Watcher(r2.port, "replicated", resumeFrom); // the watcher moves to replica 2

            claimers.shutdown();
            assertThat(claimers.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();

            assertThat(db.queryForObject("SELECT COUNT(*) FROM tasks WHERE board = 'replicated' AND status = 'done'", Integer.class))
                    .as("no task lost").isEqualTo(TASKS);
            // a completion in flight when replica 3 died may have committed with its answer lost: at most a few unseen
            assertThat(completions.size()).as("completions acknowledged").isBetween(TASKS - connectionErrors.get(), TASKS);
            assertThat(completions.values().stream().filter(n -> n.get() != 1).count()).as("tasks acknowledged complete twice").isZero();
            assertThat(db.queryForObject("SELECT COUNT(*) FROM task_runs r JOIN tasks t ON t.id = r.task_id"
                    + " WHERE t.board = 'replicated' AND r.status = 'completed'", Integer.class)).isEqualTo(TASKS);
            assertThat(db.queryForObject("SELECT COUNT(*) FROM (SELECT r.task_id FROM task_runs r JOIN task_runs o"
                    + " ON o.task_id = r.task_id AND o.id <> r.id AND o.started_at < COALESCE(r.ended_at, 1e12)"
                    + " AND r.started_at < COALESCE(o.ended_at, 1e12) JOIN tasks t ON t.id = r.task_id"
                    + " WHERE t.board = 'replicated' AND r.status = 'completed' AND o.status = 'completed') x", Integer.class))
                    .as("two completed runs of one task overlapping in time: a double claim").isZero();
            int reclaimed = db.queryForObject("SELECT COUNT(*) FROM task_events WHERE board = 'replicated' AND kind = 'reclaimed'", Integer.class);

            List<String> expected = db.queryForList("SELECT tx::text || '.' || id FROM task_events WHERE board = 'replicated' ORDER BY tx, id", String.class);
            try {
                await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(100))
                        .until(() -> second.ids.size() >= expected.size() - expected.indexOf(resumeFrom) - 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertions below say what the second watcher missed
            }
            Thread.sleep(500);
            second.close();
            List<String> seen = new ArrayList<>(first.ids);
            seen.addAll(second.ids);
            System.out.printf("replicas: %d claims, %d completions, %d leases reclaimed after kill -9, %d connection errors, %d events streamed%n",
                    claims.get(), completions.size(), reclaimed, connectionErrors.get(), seen.size());
            assertThat(killed).isTrue();
            if (!seen.equals(expected)) {
                List<String> missing = new ArrayList<>(expected);
                missing.removeAll(seen);
                List<String> detail = new ArrayList<>();
                for (String m : missing) {
                    detail.add(m + " " + db.queryForMap("SELECT kind, task_id, run_id, payload FROM task_events WHERE id = ?",
                            Long.parseLong(m.substring(m.indexOf('.') + 1))));
                }
                Files.write(java.nio.file.Path.of("target/multi-replica-events.txt"),
                        List.of("expected " + expected, "seen " + seen, "first " + first.ids.size() + " resume " + resumeFrom, "missing " + detail));
            }
            assertThat(seen).as("every event once, in commit order, across the move to replica 2").isEqualTo(expected);
        } finally {
            claimers.shutdownNow();
            for (JarProcess jar : replicas) {
                jar.close();
            }
        }
    }
}
