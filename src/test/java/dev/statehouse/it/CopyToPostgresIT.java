package dev.statehouse.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Http;
import dev.statehouse.support.InstalledPostgres;
import dev.statehouse.support.Postgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 29, black-box on the packaged jar: a benchmark-sized SQLite database (bench/generate.py:
 * 10,000 sessions in lineage chains, 200,000 messages, 50,000 tasks) with board history made through
 * the API is moved by {@code copy --to} into PostgreSQL 18 (embedded) and Debian's PostgreSQL 15; a
 * replica started on each result serves the same sidebar pages (first and following), messages,
 * boards, task lists, task details and event ids as the SQLite service did, on the indexes and
 * constraints the migrations make. A second copy into the same database is refused; a copy meeting a
 * value PostgreSQL cannot take, or a row that breaks a foreign key, keeps nothing (the dropped indexes
 * come back with the rollback, as after a kill); tables of another role are copied into with their
 * indexes in place; a target holding another table is refused.
 */
class CopyToPostgresIT {

    private static final String TOKEN = "copy-it-token-0123456789abcdef";

    /** The GETs compared between the SQLite service and the replicas on the copies. */
    private static List<String> paths(JarProcess jar, List<String> tasks) throws Exception {
        List<String> paths = new ArrayList<>(List.of("/api/sessions?limit=50", "/api/projects", "/api/boards", "/api/boards/haul/tasks",
                "/api/boards/bench/tasks?limit=200", "/api/boards/bench/tasks?status=ready&limit=50"));
        String cursor = Http.JSON.readTree(jar.get("/api/sessions?limit=50").body()).get("next_cursor").asString();
        for (int i = 0; i < 3; i++) { // following pages, by cursor
            paths.add("/api/sessions?limit=50&cursor=" + cursor);
            cursor = Http.JSON.readTree(jar.get("/api/sessions?limit=50&cursor=" + cursor).body()).get("next_cursor").asString();
        }
        JsonNode first = Http.JSON.readTree(jar.get("/api/sessions?limit=5").body()).get("items");
        for (JsonNode s : first) {
            paths.add("/api/sessions/" + s.get("id").asString());
            paths.add("/api/sessions/" + s.get("id").asString() + "/messages");
        }
        tasks.forEach(t -> paths.add("/api/tasks/" + t));
        return paths;
    }

    private static Map<String, JsonNode> read(JarProcess jar, List<String> paths) throws Exception {
        Map<String, JsonNode> bodies = new LinkedHashMap<>();
        for (String p : paths) {
            HttpResponse<String> r = jar.get(p);
            assertThat(r.statusCode()).as(p + ": " + r.body()).isEqualTo(200);
            bodies.put(p, Http.JSON.readTree(r.body()));
        }
        return bodies;
    }

    /** The ids of a board's events as its stream replays them from the start, until it is quiet for 2 s. */
    private static List<String> eventIds(JarProcess jar, String board) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(jar.url("/api/boards/" + board + "/events")))
                .header("Authorization", "Bearer " + TOKEN).header("Last-Event-ID", "0").build();
        HttpResponse<java.util.stream.Stream<String>> r = jar.client.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        BlockingQueue<String> ids = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> r.body().filter(l -> l.startsWith("id:")).forEach(l -> ids.add(l.substring(3).trim())));
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        for (String id = ids.poll(10, TimeUnit.SECONDS); id != null; id = ids.poll(2, TimeUnit.SECONDS)) {
            seen.add(id);
        }
        r.body().close();
        return seen;
    }

    /** A new directory holding a copy of {@code dir}'s database with {@code sql} run on it by the sqlite3 CLI (foreign keys off). */
    private static Path spoiled(Path dir, String sql) throws Exception {
        Path spoiled = Files.createTempDirectory("statehouse-copy-bad-");
        Files.createDirectories(spoiled.resolve("data"));
        Files.copy(dir.resolve("data/state.db"), spoiled.resolve("data/state.db"));
        Process update = new ProcessBuilder("sqlite3", spoiled.resolve("data/state.db").toString(), sql).start();
        assertThat(update.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(update.exitValue()).isZero();
        return spoiled;
    }

    /** Every index and constraint of the target's schema, as PostgreSQL defines them. */
    private static List<String> structure(JdbcTemplate db) {
        return db.queryForList("SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE connamespace = current_schema()::regnamespace ORDER BY 1", String.class);
    }

    private static Process copy(Path dir, String url, Path log) throws Exception {
        Process p = JarProcess.command(dir, log, "copy", "--to", url);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return p;
    }

    @Test
    void aBenchmarkSizedDatabaseMovesToPostgresAndTheReplicasServeWhatSqliteServed() throws Exception {
        Path dir = Files.createTempDirectory("statehouse-copy-");
        try (JarProcess schema = JarProcess.start(dir, List.of(), "--statehouse.auth.tokens.t.token=" + TOKEN)) {
            schema.stop();
        }
        Process generate = new ProcessBuilder("python3", "bench/generate.py", dir.resolve("data/state.db").toString())
                .redirectErrorStream(true).start();
        String generated = new String(generate.getInputStream().readAllBytes());
        assertThat(generate.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(generate.exitValue()).as(generated).isZero();

        List<String> tasks = new ArrayList<>();
        Map<String, JsonNode> served;
        List<String> events;
        List<String> paths;
        try (JarProcess sqlite = JarProcess.start(dir, List.of(), "--statehouse.auth.tokens.t.token=" + TOKEN)) {
            sqlite.token = TOKEN;
            assertThat(sqlite.post("/api/boards", "{\"slug\":\"haul\",\"name\":\"Haul\"}").statusCode()).isEqualTo(201);
            for (int i = 0; i < 12; i++) {
                tasks.add(Http.JSON.readTree(sqlite.post("/api/boards/haul/tasks", "{\"title\":\"t" + i + "\",\"status\":\"ready\",\"body\":\"tab\\there,"
                        + " newline\\nthere, back\\\\slash, ünïcode ✓\"}").body()).get("id").asString());
            }
            assertThat(sqlite.post("/api/tasks/" + tasks.get(11) + "/links", "{\"parent_id\":\"" + tasks.get(10) + "\"}").statusCode()).isEqualTo(201);
            for (int i = 0; i < 8; i++) {
                JsonNode claim = Http.JSON.readTree(sqlite.post("/api/boards/haul/claims", "{\"worker\":\"w\",\"ttl_seconds\":60}").body());
                String id = claim.get("task").get("id").asString();
                String lock = claim.get("lock").asString();
                sqlite.post("/api/tasks/" + id + "/heartbeat", "{\"lock\":\"" + lock + "\"}");
                assertThat(sqlite.post("/api/tasks/" + id + (i % 3 == 2 ? "/fail" : "/complete"), "{\"lock\":\"" + lock + "\","
                        + (i % 3 == 2 ? "\"error\":\"e" + i + "\"}" : "\"result\":\"r" + i + "\"}")).statusCode()).isEqualTo(200);
                sqlite.post("/api/tasks/" + id + "/comments", "{\"body\":\"comment " + i + "\"}");
            }
            assertThat(sqlite.post("/api/plans", "{\"description\":\"moving\"}").statusCode()).isEqualTo(201);
            paths = paths(sqlite, tasks);
            served = read(sqlite, paths);
            events = eventIds(sqlite, "haul");
            assertThat(events).hasSizeGreaterThan(30);
        }

        String embedded = Postgres.newDatabase("copy") + "?user=postgres&password=postgres";
        try (InstalledPostgres pg15 = InstalledPostgres.startDebian15()) {
            JdbcTemplate admin = Postgres.jdbc(pg15.url("postgres"));
            admin.execute("CREATE DATABASE moved TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            for (String url : List.of(embedded, pg15.url("moved"))) {
                Path log = dir.resolve("copy-" + Math.abs(url.hashCode()) + ".log");
                Process p = copy(dir, url, log);
                assertThat(p.exitValue()).as(Files.readString(log)).isZero();
                String out = Files.readString(log);
                assertThat(out).contains("every table verified").containsPattern("messages\\s+200000 rows").doesNotContain("INFO");
                System.out.println(out.lines().filter(l -> l.startsWith("copied")).findFirst().orElse(out));

                Process again = copy(dir, url, dir.resolve("again.log"));
                assertThat(again.exitValue()).as("a second copy into the same database").isEqualTo(2);
                assertThat(Files.readString(dir.resolve("again.log"))).contains("already holds").contains("rows in sessions");

                try (JarProcess replica = JarProcess.start(Files.createTempDirectory("statehouse-replica-"), List.of(),
                        "--spring.datasource.url=" + url, "--statehouse.auth.tokens.t.token=" + TOKEN)) {
                    replica.token = TOKEN;
                    assertThat(read(replica, paths)).as("the replica on " + url + " serves what SQLite served").isEqualTo(served);
                    assertThat(eventIds(replica, "haul")).as("the same event ids").isEqualTo(events);
                    assertThat(replica.post("/api/boards/haul/tasks", "{\"title\":\"after the move\"}").statusCode())
                            .as("new rows take ids after the copied ones").isEqualTo(201);
                    assertThat(replica.post("/api/sessions/" + served.get("/api/sessions?limit=50").get("items").get(0).get("id").asString()
                            + "/messages", "{\"role\":\"user\",\"content\":\"after the move\"}").statusCode()).isEqualTo(201);
                }
            }

            // a value PostgreSQL cannot take: nothing is kept, and the message names the row
            Path bad = spoiled(dir, "UPDATE messages SET timestamp = 'soon' WHERE id = (SELECT MAX(id) FROM messages)");
            admin.execute("CREATE DATABASE broken TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            Process failed = copy(bad, pg15.url("broken"), bad.resolve("copy.log"));
            assertThat(failed.exitValue()).as(Files.readString(bad.resolve("copy.log"))).isEqualTo(1);
            assertThat(Files.readString(bad.resolve("copy.log"))).contains("nothing was kept").contains("messages.timestamp").contains("'soon'");
            JdbcTemplate broken = Postgres.jdbc(pg15.url("broken"));
            for (String table : List.of("sessions", "messages", "tasks", "task_events")) {
                assertThat(broken.queryForObject("SELECT COUNT(*) FROM " + table, Long.class)).as(table + " after a failed copy").isZero();
            }
            // the indexes and foreign keys the copy drops while it loads: made again on success, back by the rollback on failure
            List<String> migrated = structure(broken);
            assertThat(migrated).as("the migrated schema").anyMatch(d -> d.contains("idx_messages_session_timestamp"))
                    .anyMatch(d -> d.contains("messages_session_id_fkey FOREIGN KEY"));
            assertThat(structure(Postgres.jdbc(pg15.url("moved")))).as("a copied database's indexes and constraints").isEqualTo(migrated);

            // a message whose session SQLite does not have (its foreign keys are off in sqlite3): the remade key fails the copy
            Path orphan = spoiled(dir, "UPDATE messages SET session_id = 'gone' WHERE id = (SELECT MIN(id) FROM messages)");
            admin.execute("CREATE DATABASE orphan TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            Process orphaned = copy(orphan, pg15.url("orphan"), orphan.resolve("orphan.log"));
            assertThat(orphaned.exitValue()).as(Files.readString(orphan.resolve("orphan.log"))).isEqualTo(1);
            assertThat(Files.readString(orphan.resolve("orphan.log"))).contains("nothing was kept").contains("messages_session_id_fkey").contains("gone");
            assertThat(Postgres.jdbc(pg15.url("orphan")).queryForObject("SELECT COUNT(*) FROM messages", Long.class)).isZero();
            assertThat(structure(Postgres.jdbc(pg15.url("orphan")))).isEqualTo(migrated);

            // tables that belong to another role: nothing can be dropped, the copy keeps them in place and still completes
            admin.execute("CREATE DATABASE shared TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            admin.execute("CREATE ROLE mover LOGIN");
            org.flywaydb.core.Flyway.configure().dataSource(pg15.url("shared"), "postgres", "")
                    .locations("classpath:db/migration/postgresql").load().migrate();
            JdbcTemplate shared = Postgres.jdbc(pg15.url("shared"));
            shared.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO mover");
            shared.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO mover");
            Process notOwner = copy(dir, pg15.url("shared").replace("user=postgres", "user=mover"), dir.resolve("shared.log"));
            assertThat(notOwner.exitValue()).as(Files.readString(dir.resolve("shared.log"))).isZero();
            assertThat(Files.readString(dir.resolve("shared.log"))).contains("belong to another role").contains("every table verified");
            assertThat(shared.queryForObject("SELECT COUNT(*) FROM messages", Long.class)).isEqualTo(200_000);
            assertThat(structure(shared)).isEqualTo(migrated);

            // killed (SIGKILL) in the middle: the server rolls the transaction back; the same command then completes
            admin.execute("CREATE DATABASE interrupted TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            Path cut = dir.resolve("interrupted.log");
            Process killed = JarProcess.command(dir, cut, "copy", "--to", pg15.url("interrupted"));
            for (int i = 0; i < 600 && !Files.readString(cut).contains("copying sessions"); i++) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(cut)).as("killed while copying").contains("copying sessions").doesNotContain("copied ");
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            JdbcTemplate interrupted = Postgres.jdbc(pg15.url("interrupted"));
            for (int i = 0; i < 100 && interrupted.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'statehouse-copy'",
                    Long.class) > 0; i++) {
                Thread.sleep(100); // the server notices the dropped connection and rolls back
            }
            assertThat(interrupted.queryForObject("SELECT COUNT(*) FROM sessions", Long.class)).as("nothing kept of a killed copy").isZero();
            assertThat(structure(interrupted)).as("the indexes a killed copy had dropped").isEqualTo(migrated);
            Process rerun = copy(dir, pg15.url("interrupted"), dir.resolve("rerun.log"));
            assertThat(rerun.exitValue()).as(Files.readString(dir.resolve("rerun.log"))).isZero();
            assertThat(interrupted.queryForObject("SELECT COUNT(*) FROM messages", Long.class)).isEqualTo(200_000);

            admin.execute("CREATE DATABASE occupied TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
            Postgres.jdbc(pg15.url("occupied")).execute("CREATE TABLE invoices (id int)");
            Process refused = copy(dir, pg15.url("occupied"), dir.resolve("occupied.log"));
            assertThat(refused.exitValue()).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("occupied.log"))).contains("table invoices");
            assertThat(Postgres.jdbc(pg15.url("occupied")).queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_schema = 'public'", Long.class)).as("nothing created beside it").isEqualTo(1);
        }
    }

    /** Issue 29: {@code import hermes} writes into PostgreSQL when the settings point there, and a second run adds nothing. */
    @Test
    void importHermesIntoPostgres() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-pg-");
        Path source = HermesFixture.create(work.resolve("hermes/state.db"), 21);
        String url = Postgres.newDatabase("hermes") + "?user=postgres&password=postgres";
        for (int run = 0; run < 2; run++) {
            Path log = work.resolve("import-" + run + ".log");
            Process p = JarProcess.command(work, log, "import", "hermes", source.toString(), "--spring.datasource.url=" + url);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains(run == 0 ? HermesFixture.MESSAGES + " new" : "0 new");
        }
        JdbcTemplate db = Postgres.jdbc(url);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM sessions", Long.class)).isEqualTo(10);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM messages", Long.class)).isEqualTo(HermesFixture.MESSAGES);
        assertThat(Files.exists(work.resolve("data/state.db"))).as("no SQLite file beside it").isFalse();
    }
}
