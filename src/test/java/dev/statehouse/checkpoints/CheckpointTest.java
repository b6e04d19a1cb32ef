package dev.statehouse.checkpoints;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.statehouse.health.FdInspector;
import dev.statehouse.health.FdKind;
import dev.statehouse.storage.ResourceDatabases;
import dev.statehouse.support.Http;
import dev.statehouse.support.Sqlite3;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

class CheckpointTest extends ServerTestSupport {

    @Autowired
    CheckpointService service;

    @Autowired
    ResourceDatabases databases;

    @Autowired
    ResourcePaths paths;

    private Path resource(String name) {
        return paths.root().resolve(name);
    }

    private String plan() {
        Http.Response r = http.post("/api/plans", map("description", "refactor the inventory"));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private JsonNode checkpoint(String plan, String resource, String label) {
        Http.Response r = http.post("/api/plans/" + plan + "/checkpoints", map("resource", resource, "label", label));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json();
    }

    private FdInspector resourceFds() {
        return new FdInspector(database, List.of(paths.root(), service.store()), Clock.systemUTC());
    }

    private long filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void rollbackRestoresWhatAnotherProcessChanged() throws Exception {
        String name = unique("inv") + ".db";
        Path db = resource(name);
        Sqlite3.createResource(db, 5);
        String before = Sqlite3.dump(db);
        String plan = plan();
        JsonNode cp = checkpoint(plan, name, "before the migration");
        assertThat(cp.get("size_bytes").asLong()).isPositive();
        assertThat(cp.get("resource").asString()).isEqualTo(name);

        Sqlite3.run(db, "DELETE FROM items WHERE id = 2; UPDATE items SET qty = 0; INSERT INTO items(name, qty) VALUES ('new', 1);"
                + " CREATE TABLE junk(x);");
        assertThat(Sqlite3.dump(db)).isNotEqualTo(before);

        Http.Response rolled = http.post("/api/plans/" + plan + "/checkpoints/" + cp.get("id").asString() + "/rollback", map());
        assertThat(rolled.status()).as(rolled.raw().body()).isEqualTo(200);
        assertThat(rolled.json().get("restore_count").asLong()).isEqualTo(1);
        assertThat(Sqlite3.dump(db)).isEqualTo(before);
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'junk';")).isEqualTo("0");
        assertThat(Sqlite3.run(db, "PRAGMA integrity_check;")).isEqualTo("ok");

        JsonNode list = http.get("/api/plans/" + plan + "/checkpoints").json().get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("label").asString()).isEqualTo("before the migration");
        assertThat(list.get(0).get("created_at").asString()).isNotBlank();
        assertThat(list.get(0).has("file")).isFalse();
        assertThat(http.get("/api/plans/" + plan).json().get("checkpoints")).hasSize(1);
        assertThat(resourceFds().scan().count(FdKind.RESOURCE)).isZero();
    }

    @Test
    void rollbackIsSafeWhileAnotherConnectionHasTheFileOpen() throws Exception {
        String name = unique("live") + ".db";
        Path db = resource(name);
        Sqlite3.createResource(db, 3);
        String plan = plan();
        String cp = checkpoint(plan, name, "three items").get("id").asString();

        Process other = new ProcessBuilder("sqlite3", "-batch", db.toString()).redirectErrorStream(true).start();
        try (OutputStream in = other.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(".timeout 5000\nINSERT INTO items(name, qty) VALUES ('x', 1), ('y', 2);\nSELECT COUNT(*) FROM items;\n"
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(out.readLine()).isEqualTo("5");

            // the other connection stays open while the service restores under it
            Http.Response rolled = http.post("/api/plans/" + plan + "/checkpoints/" + cp + "/rollback", map());
            assertThat(rolled.status()).as(rolled.raw().body()).isEqualTo(200);

            in.write("SELECT COUNT(*) FROM items;\nPRAGMA integrity_check;\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(out.readLine()).as("the open connection sees the restored content").isEqualTo("3");
            assertThat(out.readLine()).isEqualTo("ok");
            in.write(".quit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM items;")).isEqualTo("3");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aThousandCheckpointsLeaveNoDescriptorAndStayWithinThePlanLimit() throws Exception {
        String name = unique("small") + ".db";
        Sqlite3.createResource(resource(name), 20);
        String plan = plan();
        FdInspector fds = resourceFds();
        int open = fds.scan().open();
        for (int i = 0; i < 1000; i++) {
            checkpoint(plan, name, "cp " + i);
            assertThat(databases.openConnections()).isZero();
            if (i % 10 == 9) { // a leaked handle stays open, so a scan every tenth call finds it (the scan is most of a call's cost)
                assertThat(fds.scan().count(FdKind.RESOURCE)).as("resource/snapshot handles after call %d", i).isZero();
            }
        }
        assertThat(fds.scan().open()).isLessThanOrEqualTo(open + 2);
        JsonNode kept = http.get("/api/plans/" + plan + "/checkpoints").json().get("items");
        assertThat(kept).hasSize(20);
        assertThat(kept.get(19).get("label").asString()).isEqualTo("cp 999");
        assertThat(kept.get(0).get("label").asString()).isEqualTo("cp 980");
        assertThat(filesIn(service.store().resolve(plan))).isEqualTo(20);
        assertThat(http.get("/actuator/prometheus").raw().body()).contains("statehouse_checkpoints_open 0.0");
        assertThat(service.lockedResources()).as("no per-resource lock is kept once its calls are over (issue 28)").isZero();
    }

    @Test
    void theByteBudgetEvictsTheOldestSnapshotsOfAnyPlan() throws Exception {
        String name = unique("big") + ".db";
        Path db = resource(name);
        Sqlite3.createResource(db, 1);
        Sqlite3.run(db, "CREATE TABLE blobs(b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)"
                + " INSERT INTO blobs SELECT randomblob(4096) FROM n;"); // about 1 MB
        String first = plan();
        String second = plan();
        String oldest = checkpoint(first, name, "first").get("id").asString();
        for (int i = 0; i < 12; i++) {
            checkpoint(i % 2 == 0 ? second : first, name, "n" + i);
            long total = jdbc.queryForObject("SELECT SUM(size_bytes) FROM checkpoints", Long.class);
            assertThat(total).isLessThanOrEqualTo(8L * 1024 * 1024);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM checkpoints WHERE id = ?", Long.class, oldest)).isZero();
        assertThat(filesIn(service.store().resolve(first)) + filesIn(service.store().resolve(second)))
                .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM checkpoints WHERE plan_id IN (?, ?)", Long.class, first, second));
        // a resource bigger than the whole budget is refused before anything is written
        String huge = unique("huge") + ".db";
        Sqlite3.run(resource(huge), "CREATE TABLE b(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2200)"
                + " INSERT INTO b SELECT randomblob(4096) FROM n;");
        assertThat(http.post("/api/plans/" + first + "/checkpoints", map("resource", huge)).status()).isEqualTo(422);
    }

    @Test
    void completeAbandonAndTheTtlReaperDeleteSnapshots() throws Exception {
        String name = unique("ttl") + ".db";
        Sqlite3.createResource(resource(name), 2);
        String done = plan();
        checkpoint(done, name, "a");
        checkpoint(done, name, "b");
        assertThat(http.post("/api/plans/" + done + "/complete", map()).json().get("status").asString()).isEqualTo("completed");
        assertThat(filesIn(service.store().resolve(done))).isZero();
        assertThat(http.get("/api/plans/" + done + "/checkpoints").json().get("items")).isEmpty();
        assertThat(http.post("/api/plans/" + done + "/complete", map()).status()).isEqualTo(409);
        assertThat(http.post("/api/plans/" + done + "/checkpoints", map("resource", name)).status()).isEqualTo(409);

        String dropped = plan();
        checkpoint(dropped, name, "a");
        assertThat(http.post("/api/plans/" + dropped + "/abandon", map()).json().get("status").asString()).isEqualTo("abandoned");
        assertThat(filesIn(service.store().resolve(dropped))).isZero();

        String idle = plan();
        String cp = checkpoint(idle, name, "forgotten").get("id").asString();
        String fresh = plan();
        checkpoint(fresh, name, "recent");
        jdbc.update("UPDATE plans SET updated_at = updated_at - 8 * 86400 WHERE id = ?", idle); // idle past the 7-day TTL
        assertThat(service.reap()).isGreaterThanOrEqualTo(1);
        assertThat(http.get("/api/plans/" + idle).json().get("status").asString()).isEqualTo("expired");
        assertThat(filesIn(service.store().resolve(idle))).isZero();
        assertThat(http.post("/api/plans/" + idle + "/checkpoints/" + cp + "/rollback", map()).status()).isEqualTo(409);
        assertThat(http.get("/api/plans/" + fresh).json().get("status").asString()).isEqualTo("active");
        assertThat(filesIn(service.store().resolve(fresh))).isEqualTo(1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void badResourcesGetClearProblemsAndLeaveNothingOpen() throws Exception {
        String plan = plan();
        Path outside = Files.createTempFile("outside", ".db");
        Sqlite3.run(outside, "CREATE TABLE t(x);");
        Files.createDirectories(paths.root().resolve("links"));
        Path link = paths.root().resolve("links/" + unique("escape") + ".db");
        Files.createSymbolicLink(link, outside);
        String text = unique("notes") + ".db";
        Files.writeString(resource(text), "this is not a database, just text that is long enough");
        String empty = unique("empty") + ".db";
        Files.createFile(resource(empty));
        String valid = unique("ok") + ".db";
        Sqlite3.createResource(resource(valid), 1);
        String cp = checkpoint(plan, valid, "ok").get("id").asString();

        record Case(String resource, int status) {
        }
        List<Case> cases = List.of(
                new Case("../outside.db", 400),
                new Case("a/../../outside.db", 400),
                new Case(outside.toString(), 400),
                new Case(paths.root().relativize(link).toString(), 400),
                new Case(text, 422),
                new Case(empty, 422),
                new Case("links", 422),
                new Case(unique("missing") + ".db", 404),
                new Case("", 400));
        long rows = count("checkpoints");
        for (Case c : cases) {
            Http.Response r = http.post("/api/plans/" + plan + "/checkpoints", map("resource", c.resource()));
            assertThat(r.status()).as("%s: %s", c.resource(), r.raw().body()).isEqualTo(c.status());
            assertThat(r.isProblem()).isTrue();
            assertThat(resourceFds().scan().count(FdKind.RESOURCE)).as(c.resource()).isZero();
        }
        assertThat(count("checkpoints")).isEqualTo(rows);
        assertThat(databases.openConnections()).isZero();
        assertThat(http.post("/api/plans/unknown_plan/checkpoints", map("resource", valid)).status()).isEqualTo(404);
        assertThat(http.get("/api/plans/unknown_plan").status()).isEqualTo(404);
        assertThat(http.post("/api/plans/unknown_plan/checkpoints/" + cp + "/rollback", map()).status()).isEqualTo(404);
        assertThat(http.post("/api/plans/" + plan + "/checkpoints/cp_unknown/rollback", map()).status()).isEqualTo(404);
        assertThat(http.post("/api/plans/" + plan + "/checkpoints", map("resource", valid, "extra", 1)).status()).isEqualTo(400);
        assertThat(http.post("/api/plans", map("id", plan)).status()).isEqualTo(409);

        // a snapshot that vanished from the store is 410 Gone, and marked missing
        String file = jdbc.queryForObject("SELECT file FROM checkpoints WHERE id = ?", String.class, cp);
        Files.delete(service.store().resolve(file));
        assertThat(http.post("/api/plans/" + plan + "/checkpoints/" + cp + "/rollback", map()).status()).isEqualTo(410);
        assertThat(http.get("/api/plans/" + plan + "/checkpoints").json().get("items").get(0).get("state").asString())
                .isEqualTo("missing");
        // the text file was not turned into a database by being looked at
        assertThat(Files.readString(resource(text))).startsWith("this is not a database");
        assertThat(Files.size(resource(empty))).isZero();
    }
}
