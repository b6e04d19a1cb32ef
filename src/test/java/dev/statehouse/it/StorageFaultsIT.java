package dev.statehouse.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The database's storage failing under the packaged jar: files it must refuse at start, a disk
 * that fills up (tmpfs of a few MB) and I/O errors injected with {@code prlimit --fsize} on the
 * running process (writes past the limit fail with EFBIG, which SQLite reports as SQLITE_IOERR).
 */
class StorageFaultsIT {

    private static final String TOKEN = "it-token-storage-faults-0123456789";
    private static final String[] AUTH = {"--statehouse.auth.tokens.it.token=" + TOKEN,
            "--statehouse.auth.tokens.it.scopes=read,write,metrics"};

    @Test
    void aBadDatabaseFileRefusesStartWithOneLineAndIsNotTouched() throws Exception {
        Path work = Files.createTempDirectory("statehouse-bad-db-");
        Path db = work.resolve("data/state.db");
        Files.createDirectories(db.getParent());

        Files.write(db, new byte[0]);
        refused(work, db, "empty");

        Files.writeString(db, "name,qty\nwidget,3\n".repeat(400));
        refused(work, db, "not a SQLite database");

        Files.delete(db);
        try (JarProcess jar = JarProcess.start(work, List.of(), args())) {
            jar.token = TOKEN;
            for (int i = 0; i < 200; i++) {
                assertThat(jar.post("/api/sessions", "{\"source\":\"cli\",\"title\":\"" + "x".repeat(200) + "\"}").statusCode()).isEqualTo(201);
            }
            jar.stop();
        }
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            assertThat(file.length()).isGreaterThan(6 * 4096);
            file.seek(2 * 4096);
            byte[] garbage = new byte[3 * 4096];
            new java.util.Random(7).nextBytes(garbage);
            file.write(garbage);
        }
        refused(work, db, "corrupt");
    }

    @Test
    void aReadOnlyMountRefusesStart() throws Exception {
        Path mount = Files.createTempDirectory("statehouse-ro-");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()) == 0, "mounting a tmpfs needs root");
        try {
            Path db = mount.resolve("state.db");
            Sqlite3.run(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);");
            assertThat(run("mount", "-o", "remount,ro", mount.toString())).isZero();
            Path work = Files.createTempDirectory("statehouse-ro-work-");
            refused(work, db, "read-only", "--statehouse.storage.path=" + db);
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void aFullDiskIs507ForWritesReadsWorkThePlanApiFreesSpaceAndWritesResume() throws Exception {
        Path mount = Files.createTempDirectory("statehouse-full-");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString()) == 0, "mounting a tmpfs needs root");
        Path work = Files.createTempDirectory("statehouse-full-work-");
        List<String> acknowledged = new ArrayList<>();
        try {
            Path db = mount.resolve("state.db");
            try (JarProcess jar = JarProcess.start(work, List.of(), args("--statehouse.storage.path=" + db,
                    "--statehouse.resources.root=" + mount.resolve("resources"),
                    "--statehouse.checkpoints.dir=" + mount.resolve("checkpoints")))) {
                jar.token = TOKEN;
                assertThat(jar.post("/api/sessions", "{\"id\":\"full\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
                Path resource = mount.resolve("resources/big.db");
                Sqlite3.run(resource, "CREATE TABLE b(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800) "
                        + "INSERT INTO b SELECT randomblob(4000) FROM n;");
                assertThat(jar.post("/api/plans", "{\"id\":\"space\"}").statusCode()).isEqualTo(201);
                for (int i = 0; i < 3; i++) {
                    assertThat(jar.post("/api/plans/space/checkpoints", "{\"resource\":\"big.db\"}").statusCode()).isEqualTo(201);
                }
                Files.delete(resource);
                fill(mount.resolve("filler"));

                HttpResponse<String> full = null;
                for (int i = 0; i < 400 && full == null; i++) {
                    HttpResponse<String> r = jar.post("/api/sessions/full/messages", "{\"role\":\"user\",\"content\":\"" + "y".repeat(20_000) + "\"}");
                    if (r.statusCode() == 201) {
                        acknowledged.add(id(r.body()));
                    } else {
                        full = r;
                    }
                }
                assertThat(full).as("the disk filled up").isNotNull();
                assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
                assertThat(full.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(full.body()).contains("Insufficient storage");

                assertThat(jar.get("/api/sessions/full").statusCode()).as("reads work").isEqualTo(200);
                assertThat(jar.get("/api/sessions?limit=5").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = jar.get("/actuator/health/readiness");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("\"fault\":\"disk_full\"");

                HttpResponse<String> freed = jar.post("/api/plans/space/abandon", "");
                assertThat(freed.statusCode()).as("the plan API frees space: " + freed.body()).isEqualTo(200);
                HttpResponse<String> again = jar.post("/api/sessions/full/messages", "{\"role\":\"user\",\"content\":\"after\"}");
                assertThat(again.statusCode()).as("writes resume by themselves: " + again.body()).isEqualTo(201);
                acknowledged.add(id(again.body()));
                await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(100)).untilAsserted(() ->
                        assertThat(jar.get("/actuator/health/readiness").body()).contains("\"writes\":{\"ok\":true"));
                jar.stop();
            }
            assertThat(Sqlite3.run(db, "PRAGMA integrity_check")).isEqualTo("ok");
            String ids = Sqlite3.run(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM messages WHERE session_id = 'full' ORDER BY id)");
            assertThat(List.of(ids.split(","))).as("every acknowledged write").containsExactlyElementsOf(acknowledged);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void ioErrorsTurnReadinessDownAndItComesBackWhenWritesWork() throws Exception {
        try (JarProcess jar = JarProcess.start(List.of(), args("--statehouse.storage.write-probe-interval=1s"))) {
            jar.token = TOKEN;
            assertThat(jar.post("/api/sessions", "{\"id\":\"io\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
            String pid = Long.toString(jar.process.pid());
            assertThat(run("prlimit", "--pid", pid, "--fsize=1:unlimited")).isZero();
            try {
                HttpResponse<String> failed = jar.post("/api/sessions/io/messages", "{\"role\":\"user\",\"content\":\"" + "z".repeat(8000) + "\"}");
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
                HttpResponse<String> ready = awaitReadiness(jar, 503);
                assertThat(ready.body()).contains("\"fault\":\"io_error\"");
                assertThat(jar.get("/api/sessions/io").statusCode()).as("reads still work").isEqualTo(200);
                assertThat(jar.get("/actuator/health/liveness").statusCode()).as("no restart asked for").isEqualTo(200);
            } finally {
                assertThat(run("prlimit", "--pid", pid, "--fsize=unlimited:unlimited")).isZero();
            }
            awaitReadiness(jar, 200);
            assertThat(jar.post("/api/sessions/io/messages", "{\"role\":\"user\",\"content\":\"back\"}").statusCode()).isEqualTo(201);
        }
    }

    private static HttpResponse<String> awaitReadiness(JarProcess jar, int status) throws Exception {
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(100)).untilAsserted(() -> {
            last.set(jar.get("/actuator/health/readiness"));
            assertThat(last.get().statusCode()).as(last.get().body()).isEqualTo(status);
        });
        return last.get();
    }

    private static void refused(Path work, Path db, String reason, String... extra) throws Exception {
        byte[] before = Files.readAllBytes(db);
        Path log = Files.createTempFile("statehouse-refused-", ".log");
        Process p = JarProcess.launch(work, log, List.of(), args(extra));
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = Files.readString(log);
        assertThat(exited).as(reason + ": must refuse to start\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).as(reason).containsPattern("(?m)^statehouse cannot start on " + java.util.regex.Pattern.quote(db.toString()) + ": .*" + reason);
        assertThat(out).as("no stack trace").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(db)).as(reason + ": the file is not touched").isEqualTo(before);
        assertThat(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0).as("nothing written to a WAL").isFalse();
    }

    private static String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of(AUTH));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    private static String id(String json) {
        return json.replaceAll("(?s).*?\"id\":(\\d+).*", "$1");
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left");
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + out);
        }
        return p.exitValue();
    }
}
