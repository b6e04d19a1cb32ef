package dev.statehouse.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.statehouse.support.Postgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A board watcher that hops between two packaged replicas on one PostgreSQL every 100–500 ms for
 * twenty seconds of claims and completions written through the first, reconnecting each time with its
 * Last-Event-ID: it must see every event of the board once, in commit order — no duplicate, never
 * backwards, no gap — however far the replica it lands on has read (the second replica's relay,
 * kept busy by a watcher of its own, reads only every relay-interval, behind the first's).
 */
class EventResumeIT {

    private static final String TOKEN = "it-token-resume-0123456789";
    /** Twenty seconds of hops (about sixty): the previous jar showed duplicates within the first seconds. */
    private static final long RUN_MILLIS = 20_000;

    @Test
    void aWatcherHoppingBetweenReplicasSeesEveryEventOnceInOrder() throws Exception {
        String url = Postgres.newDatabase("resume");
        JdbcTemplate db = Postgres.jdbc(url);
        List<JarProcess> replicas = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            for (int r = 1; r <= 2; r++) {
                JarProcess jar = JarProcess.start(Files.createTempDirectory("statehouse-resume-"), List.of(),
                        "--spring.datasource.url=" + url, "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--spring.datasource.hikari.maximum-pool-size=6", "--spring.datasource.hikari.minimum-idle=2",
                        "--statehouse.postgresql.application-name=statehouse-resume-" + r,
                        "--statehouse.auth.tokens.it.token=" + TOKEN, "--statehouse.auth.tokens.it.scopes=read,write",
                        // exactness, however far a hop falls behind (the limit and its reload: BoardEventsTest)
                        "--statehouse.kanban.max-replay=1000000");
                jar.token = TOKEN;
                replicas.add(jar);
            }
            assertThat(replicas.get(0).post("/api/boards", "{\"slug\":\"hop\",\"name\":\"Hop\"}").statusCode()).isEqualTo(201);
            db.update("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)"
                    + " SELECT 't_hop_' || g, 'hop', 'task ' || g, 'ready', 0, g, 0 FROM generate_series(1, 20000) g");

            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger hops = new AtomicInteger();
            List<String> hopLog = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            // the watchers are open before the first claim: every event of the board is theirs to see. One
            // stays on each replica (so each relay keeps its own horizon, moved by its own polls); the other hops
            Hop[] stationary = {new Hop(replicas.get(0).port, null), new Hop(replicas.get(1).port, null)};
            Hop first = new Hop(replicas.get(0).port, null);
            for (int w = 0; w < 4; w++) {
                // claims through replica 1 only: its relay is woken by every commit, replica 2's reads every
                // relay-interval, so replica 2 is behind what the watcher last saw on replica 1
                JarProcess jar = replicas.get(0);
                int worker = w;
                workers.submit(() -> {
                    while (running.get() && failures.isEmpty()) {
                        try {
                            var claim = jar.post("/api/boards/hop/claims", "{\"worker\":\"w" + worker + "\",\"ttl_seconds\":60}");
                            if (claim.statusCode() == 204) { // the queue ran dry
                                return;
                            }
                            if (claim.statusCode() != 200) {
                                failures.add("claim " + claim.statusCode() + " " + claim.body());
                                return;
                            }
                            String task = claim.body().replaceAll("(?s).*\"task\":\\{\"id\":\"([^\"]+)\".*", "$1");
                            String lock = claim.body().replaceAll("(?s).*\"lock\":\"([^\"]+)\".*", "$1");
                            var done = jar.post("/api/tasks/" + task + "/complete", "{\"lock\":\"" + lock + "\",\"result\":\"ok\"}");
                            if (done.statusCode() != 200) {
                                failures.add("complete " + done.statusCode() + " " + done.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                            return;
                        }
                    }
                });
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            Hop hop = first;
            int replica = 0;
            int largestHop = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 500));
                List<String> got = hop.close();
                hopLog.add("replica " + (replica + 1) + " after " + (seen.isEmpty() ? null : seen.get(seen.size() - 1)) + ": "
                        + (got.isEmpty() ? "nothing" : got.get(0) + " .. " + got.get(got.size() - 1) + " (" + got.size() + ")"));
                seen.addAll(got);
                largestHop = Math.max(largestHop, got.size());
                replica = 1 - replica;
                // a watcher that has nothing yet has watched the board from its start: it resumes after "0"
                // (without a Last-Event-ID it would get live events only, and miss those between two hops)
                hop = new Hop(replicas.get(replica).port, seen.isEmpty() ? "0" : seen.get(seen.size() - 1));
                hops.incrementAndGet();
            }
            running.set(false);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            // the last connection stays until it has caught up with everything committed
            List<String> expected = db.queryForList("SELECT tx::text || '.' || id FROM task_events WHERE board = 'hop' ORDER BY tx, id",
                    String.class);
            Hop last = hop;
            try {
                await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(100)).until(() -> seen.size() + last.count() >= expected.size());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // the assertions below say which events are missing
            }
            Thread.sleep(300);
            seen.addAll(hop.close());
            for (Hop h : stationary) {
                assertThat(h.close()).as("a watcher that stays on one replica").isEqualTo(expected);
            }

            int duplicates = seen.size() - (int) seen.stream().distinct().count();
            int backwards = 0;
            for (int i = 1; i < seen.size(); i++) {
                if (compare(seen.get(i), seen.get(i - 1)) <= 0) {
                    backwards++;
                }
            }
            System.out.printf("event resume: %d hops, %d events expected, %d seen, %d duplicates, %d steps backwards,"
                    + " at most %d events in one hop%n", hops.get(), expected.size(), seen.size(), duplicates, backwards, largestHop);
            if (!seen.equals(expected)) {
                Files.write(java.nio.file.Path.of("target/event-resume.txt"), List.of("expected " + expected, "seen " + seen, "hops " + hopLog));
            }
            assertThat(hops.get()).isGreaterThan(40);
            assertThat(expected.size()).as("events written").isGreaterThan(2000);
            assertThat(duplicates).as("events seen twice").isZero();
            assertThat(backwards).as("steps backwards in the order").isZero();
            // not isEqualTo on the lists: its message (thousands of ids) hides what went wrong
            assertThat(seen.equals(expected)).as(() -> "every event once, in commit order, across every hop; "
                    + firstGap(expected, seen, hopLog)).isTrue();
        } finally {
            workers.shutdownNow();
            for (JarProcess jar : replicas) {
                jar.close();
            }
        }
    }

    /**
     * What a failure needs to be read: the first expected event the watcher did not see, how many are
     * missing in all, and the hops around it (the whole lists are in target/event-resume.txt).
     */
    private static String firstGap(List<String> expected, List<String> seen, List<String> hopLog) {
        java.util.Set<String> had = new java.util.HashSet<>(seen);
        List<String> missing = expected.stream().filter(e -> !had.contains(e)).toList();
        if (missing.isEmpty()) {
            return "nothing missing (" + (seen.size() - expected.size()) + " extra)";
        }
        String first = missing.get(0);
        int last = 0; // the last hop that started before the first missing event
        for (int i = 0; i < hopLog.size(); i++) {
            String after = hopLog.get(i).replaceAll("^replica \\d after (\\S+):.*", "$1");
            if ("null".equals(after) || compare(after, first) < 0) {
                last = i;
            }
        }
        List<String> near = hopLog.subList(Math.max(0, last - 1), Math.min(hopLog.size(), last + 3));
        return missing.size() + " missing, first " + first + " (then " + missing.subList(1, Math.min(6, missing.size()))
                + "); hops around it: " + near;
    }

    /** Orders {@code "tx.id"} positions as the service does: by transaction, then id. */
    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int byTx = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byTx != 0 ? byTx : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    /**
     * One connection of the watcher: opens the stream (with Last-Event-ID), and collects the ids of
     * the events that arrive whole (an event counts once its blank line is read, as a browser
     * dispatches it) until it is closed.
     */
    private static final class Hop {
        private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        private final HttpResponse<java.io.InputStream> response;
        private final Thread reader;

        Hop(int port, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/boards/hop/events"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith(":watching")) {
                // until the stream is open
            }
            reader = new Thread(() -> {
                String id = null;
                try {
                    String l;
                    while ((l = in.readLine()) != null) {
                        if (l.startsWith("id:")) {
                            id = l.substring(3);
                        } else if (l.isEmpty() && id != null) {
                            ids.add(id);
                            id = null;
                        }
                    }
                } catch (java.io.IOException closed) {
                    // closed by the test
                }
            });
            reader.start();
        }

        int count() {
            return ids.size();
        }

        /** Closes the connection; returns the ids of the events that arrived whole. */
        List<String> close() throws Exception {
            response.body().close();
            reader.join(5000);
            synchronized (ids) {
                return new ArrayList<>(ids);
            }
        }
    }
}
