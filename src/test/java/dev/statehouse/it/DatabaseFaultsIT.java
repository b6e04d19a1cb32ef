package dev.statehouse.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.statehouse.support.FaultProxy;
import dev.statehouse.support.InstalledPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged replicas on Debian's PostgreSQL 15, reached through a TCP proxy the test controls,
 * under a light load of message appends and sidebar reads, while the database goes through four
 * faults in turn: every session terminated ({@code pg_terminate_backend}), the server stopped
 * ({@code pg_ctl stop -m fast}) for 10 s, frozen (SIGSTOP of the postmaster and every backend) for
 * 15 s, and cut off (the proxy black-holes all traffic) for 10 s — each longer than the bound on a
 * request for the timeouts set here (10 s, {@link #REQUEST_BOUND_MILLIS}). Throughout: liveness answers 200
 * within 1 s on every probe; readiness goes DOWN while the database cannot be reached and UP again
 * within 30 s of recovery; no request answers 500 or takes longer than the documented bound; every
 * 503 carries Retry-After. Afterwards every acknowledged append is stored exactly once and no append
 * answered 503 is stored; the dispatcher, the event relay and the sidebar work again on their own.
 */
class DatabaseFaultsIT {

    private static final String TOKEN = "it-token-faults-0123456789";
    /**
     * HELP.md's worst case for a request while the database is gone, pool wait + validation + socket
     * timeout, for this test's settings (3 + 2 + 5 s; the defaults give 10 + 5 + 15 s). Shorter
     * timeouts than the defaults keep the outages, which must outlast the bound, short.
     */
    private static final long REQUEST_BOUND_MILLIS = 10_000;
    private static final List<String> TIMEOUTS = List.of("--spring.datasource.hikari.connection-timeout=3000",
            "--spring.datasource.hikari.validation-timeout=2000", "--statehouse.postgresql.statement-timeout=3s",
            "--statehouse.postgresql.lock-timeout=2s", "--statehouse.postgresql.socket-timeout=5s",
            "--statehouse.postgresql.connect-timeout=2s");
    /** Slack for a loaded 2-core machine on top of the documented bound. */
    private static final long SLACK_MILLIS = 2_000;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One request the load or a probe made. */
    private record Call(String what, int replica, int status, long startMillis, long millis, String retryAfter, String content) {
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final long t0 = System.nanoTime();

    private long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private Call call(String what, int replica, JarProcess jar, String path, String json, Duration timeout, String content) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jar.url(path))).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN);
        if (json != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        long start = now();
        int status;
        String retryAfter = null;
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        } catch (java.net.http.HttpTimeoutException e) {
            status = -1; // no answer within the client's timeout
        } catch (IOException e) {
            status = -2; // connection refused or reset
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -3;
        }
        Call c = new Call(what, replica, status, start, now() - start, retryAfter, content);
        calls.add(c);
        return c;
    }

    private Thread loop(String name, long periodMillis, Runnable body) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                long start = System.nanoTime();
                body.run();
                long left = periodMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (left > 0) {
                    try {
                        Thread.sleep(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The time readiness of every replica is UP again, waiting up to {@code seconds}; -1 if not. */
    private long awaitReady(List<JarProcess> replicas, int seconds) throws InterruptedException {
        long deadline = now() + seconds * 1000L;
        while (now() < deadline) {
            boolean all = true;
            for (int r = 0; r < replicas.size(); r++) {
                all &= call("ready-wait", r, replicas.get(r), "/actuator/health/readiness", null, Duration.ofSeconds(2), null).status() == 200;
            }
            if (all) {
                return now();
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private boolean readinessDownSeen(long from, long to) {
        synchronized (calls) {
            return calls.stream().anyMatch(c -> c.what().equals("readiness") && c.startMillis() >= from && c.startMillis() <= to
                    && c.status() == 503);
        }
    }

    /** A step of the test that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * One outage: {@code inject}, held for {@code holdMillis}, then {@code recover}. Readiness must have
     * been seen DOWN between 5 s into the outage and its end, and every replica UP within 30 s of the
     * recovery; what happened goes to {@code phases}, what went wrong to {@code failures}.
     */
    private void outage(String name, String recovery, Step inject, long holdMillis, Step recover, List<JarProcess> replicas,
                        List<String> phases, List<String> failures) throws Exception {
        long start = now();
        inject.run();
        Thread.sleep(holdMillis);
        long end = now();
        recover.run();
        long recovered = now();
        long ready = awaitReady(replicas, 30);
        phases.add(name + ": ready again " + (ready - recovered) + " ms after " + recovery);
        if (ready < 0) {
            failures.add(name + ": readiness not UP within 30 s of " + recovery);
        }
        if (!readinessDownSeen(start + 5_000, end)) {
            failures.add(name + ": readiness never DOWN during the outage");
        }
    }

    @Test
    void replicasRideOutTerminatedSessionsAStoppedAFrozenAndACutOffDatabase() throws Exception {
        List<JarProcess> replicas = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (InstalledPostgres pg = InstalledPostgres.startDebian15(); FaultProxy proxy = new FaultProxy(pg.port())) {
            JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(pg.url("postgres")));
            admin.execute("CREATE DATABASE faults TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(pg.url("faults")));
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/faults";
            for (int r = 1; r <= 2; r++) {
                List<String> args = new ArrayList<>(List.of(
                        "--spring.datasource.url=" + viaProxy, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres",
                        "--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=2",
                        "--statehouse.postgresql.application-name=statehouse-faults-" + r,
                        "--statehouse.auth.tokens.it.token=" + TOKEN, "--statehouse.auth.tokens.it.scopes=read,write,metrics",
                        "--statehouse.kanban.dispatcher-interval=500ms"));
                args.addAll(TIMEOUTS);
                JarProcess jar = JarProcess.startWithManagementPort(List.of(), args.toArray(String[]::new));
                jar.token = TOKEN;
                replicas.add(jar);
            }
            JarProcess r1 = replicas.get(0);
            assertThat(r1.post("/api/sessions", "{\"id\":\"s_faults\",\"source\":\"faults\",\"title\":\"faults\"}").statusCode()).isEqualTo(201);
            assertThat(r1.post("/api/boards", "{\"slug\":\"faults\",\"name\":\"Faults\"}").statusCode()).isEqualTo(201);

            AtomicInteger sequence = new AtomicInteger();
            for (int r = 0; r < replicas.size(); r++) {
                int replica = r;
                JarProcess jar = replicas.get(r);
                threads.add(loop("append-" + r, 100, () -> {
                    String content = "append-" + replica + "-" + sequence.incrementAndGet();
                    call("append", replica, jar, "/api/sessions/s_faults/messages",
                            "{\"role\":\"user\",\"content\":\"" + content + "\"}", Duration.ofSeconds(60), content);
                }));
                threads.add(loop("sidebar-" + r, 200, () -> call("sidebar", replica, jar, "/api/sessions?source=faults",
                        null, Duration.ofSeconds(60), null)));
                threads.add(loop("liveness-" + r, 250, () -> call("liveness", replica, jar, "/actuator/health/liveness",
                        null, Duration.ofSeconds(5), null)));
                threads.add(loop("readiness-" + r, 250, () -> call("readiness", replica, jar, "/actuator/health/readiness",
                        null, Duration.ofSeconds(5), null)));
            }
            Thread.sleep(3000);

            List<String> phases = new ArrayList<>();
            // (d) every Statehouse session terminated at once
            long start = now();
            admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'statehouse-faults-%'");
            Thread.sleep(3000);
            long ready = awaitReady(replicas, 30);
            phases.add("terminate: ready again after " + (ready - start) + " ms");
            if (ready < 0) failures.add("terminate: readiness not UP within 30 s");

            // (a) pg_ctl stop -m fast for 10 s
            outage("stop", "the restart", pg::stopFast, 10_000, pg::startAgain, replicas, phases, failures);
            // (b) SIGSTOP of the postmaster and every backend for 15 s (past the request bound: every wait must end on its own)
            outage("freeze", "SIGCONT", pg::freeze, 15_000, pg::thaw, replicas, phases, failures);
            // (c) a network partition: the proxy black-holes everything for 10 s, then resets what lived through it
            outage("partition", "the heal", proxy::cut, 10_000, proxy::heal, replicas, phases, failures);

            Thread.sleep(3000);
            running.set(false);
            for (Thread t : threads) {
                t.join(70_000);
            }

            // everything recovers by itself: a claim through each replica, the dispatcher reclaims, events flow, the sidebar is current
            JarProcess r2 = replicas.get(1);
            for (JarProcess jar : replicas) {
                assertThat(jar.post("/api/boards/faults/tasks", "{\"title\":\"after\",\"status\":\"ready\"}").statusCode()).isEqualTo(201);
                var claim = jar.post("/api/boards/faults/claims", "{\"worker\":\"after\",\"ttl_seconds\":1}");
                assertThat(claim.statusCode()).as(claim.body()).isEqualTo(200);
            }
            await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(db.queryForObject("SELECT COUNT(*) FROM task_events WHERE board = 'faults' AND kind = 'reclaimed'", Integer.class))
                            .as("the dispatcher reclaims expired leases again").isEqualTo(2));
            try (var events = new java.net.Socket("127.0.0.1", r1.port)) {
                events.setSoTimeout(15_000);
                events.getOutputStream().write(("GET /api/boards/faults/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                        + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes());
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream()));
                String line;
                while ((line = in.readLine()) != null && !line.contains(":watching")) {
                    // until the stream is open
                }
                assertThat(r2.post("/api/boards/faults/tasks", "{\"title\":\"seen across\",\"status\":\"ready\"}").statusCode()).isEqualTo(201);
                while ((line = in.readLine()) != null && !line.startsWith("event:created")) {
                    // until the event written through replica 2 arrives on replica 1
                }
                assertThat(line).as("the relay delivers events again").isEqualTo("event:created");
            }
            String last = db.queryForObject("SELECT content FROM messages WHERE session_id = 's_faults' ORDER BY id DESC LIMIT 1", String.class);
            assertThat(r2.post("/api/sessions/s_faults/messages", "{\"role\":\"user\",\"content\":\"final\"}").statusCode()).isEqualTo(201);
            assertThat(r1.get("/api/sessions?source=faults").body()).as("the sidebar after recovery, last was " + last).contains("\"message_count\":"
                    + db.queryForObject("SELECT COUNT(*) FROM messages WHERE session_id = 's_faults'", Integer.class));

            // the record
            List<Call> all;
            synchronized (calls) {
                all = new ArrayList<>(calls);
            }
            Map<String, Integer> stored = db.queryForList("SELECT content, COUNT(*) AS n FROM messages WHERE session_id = 's_faults'"
                    + " GROUP BY content").stream().collect(Collectors.toMap(m -> (String) m.get("content"), m -> ((Number) m.get("n")).intValue()));
            Map<String, Long> byOutcome = all.stream().collect(Collectors.groupingBy(c -> c.what() + " " + c.status(), java.util.TreeMap::new,
                    Collectors.counting()));
            long slowestLiveness = all.stream().filter(c -> c.what().equals("liveness")).mapToLong(Call::millis).max().orElse(0);
            long slowestReadiness = all.stream().filter(c -> c.what().startsWith("read")).mapToLong(Call::millis).max().orElse(0);
            long slowestRequest = all.stream().filter(c -> c.what().equals("append") || c.what().equals("sidebar"))
                    .mapToLong(Call::millis).max().orElse(0);
            String summary = String.format("faults: %s; outcomes %s; slowest liveness %d ms, readiness %d ms, API request %d ms",
                    phases, byOutcome, slowestLiveness, slowestReadiness, slowestRequest);
            System.out.println(summary);
            Files.writeString(java.nio.file.Path.of("target/database-faults.txt"), summary + "\n"
                    + all.stream().map(Call::toString).collect(Collectors.joining("\n")));

            for (Call c : all) {
                if (c.what().equals("liveness") && (c.status() != 200 || c.millis() > 1000)) {
                    failures.add("liveness " + c);
                }
                if (c.what().startsWith("read") && (c.status() != 200 && c.status() != 503 || c.millis() > 1000)) {
                    failures.add("readiness " + c);
                }
                if ((c.what().equals("append") || c.what().equals("sidebar"))) {
                    if (c.status() == 500 || c.status() < 0 || c.millis() > REQUEST_BOUND_MILLIS + SLACK_MILLIS) {
                        failures.add("request beyond its bound or failed " + c);
                    }
                    if (c.status() == 503 && c.retryAfter() == null) {
                        failures.add("503 without Retry-After " + c);
                    }
                }
                if (c.what().equals("append")) {
                    int n = stored.getOrDefault(c.content(), 0);
                    if (c.status() == 201 && n != 1) {
                        failures.add("acknowledged append stored " + n + " times " + c);
                    }
                    if (c.status() == 503 && n != 0) {
                        failures.add("append answered 503 but stored " + c);
                    }
                }
            }
            long acknowledged = all.stream().filter(c -> c.what().equals("append") && c.status() == 201).count();
            assertThat(acknowledged).as("appends acknowledged").isGreaterThan(50);
            assertThat(failures).as(summary).isEmpty();
            for (JarProcess jar : replicas) {
                String log = jar.output();
                assertThat(log).as("no ERROR stack trace for a database outage").doesNotContain("ERROR")
                        .doesNotContain("unexpected failure");
            }
        } finally {
            running.set(false);
            for (JarProcess jar : replicas) {
                jar.close();
            }
        }
    }
}
