package dev.statehouse.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own database must never be reachable as a plan resource: not through a hard link
 * of {@code state.db}, {@code -wal} or {@code -shm}, not by swapping a checkpointed resource for such
 * a link before a rollback, and not through a resources root or checkpoint store that contains the
 * database. Every route is refused with a 4xx, the service keeps its POSIX locks (an outside
 * {@code sqlite3} open/close afterwards finds {@code -wal} still there), and nothing acknowledged is lost.
 */
class OwnDatabaseIT {

    private static final String TOKEN = "it-token-own-database-0123456789";
    private static final String AUTH = "--statehouse.auth.tokens.it.token=" + TOKEN;

    @Test
    void everyRouteToTheOwnDatabaseIsRefusedAndNothingIsLost() throws Exception {
        Path work;
        int acknowledged = 0;
        try (JarProcess jar = JarProcess.start(List.of(), AUTH, "--statehouse.checkpoints.reaper-interval=1h")) {
            jar.token = TOKEN;
            work = jar.workDir;
            Path data = work.resolve("data");
            Path resources = data.resolve("resources");
            assertThat(jar.post("/api/sessions", "{\"id\":\"own\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
            acknowledged += write(jar, 50);
            String plan = "own-plan";
            assertThat(jar.post("/api/plans", "{\"id\":\"" + plan + "\"}").statusCode()).isEqualTo(201);
            assertThat(Files.exists(data.resolve("state.db-wal"))).as("WAL mode, -wal present").isTrue();

            Files.createLink(resources.resolve("main-link.db"), data.resolve("state.db"));
            Files.createLink(resources.resolve("wal-link.db"), data.resolve("state.db-wal"));
            Files.createLink(resources.resolve("shm-link.db"), data.resolve("state.db-shm"));
            Files.createDirectories(resources.resolve("nested/deeper"));
            Files.createLink(resources.resolve("nested/deeper/renamed.sqlite"), data.resolve("state.db"));
            for (String name : List.of("main-link.db", "wal-link.db", "shm-link.db", "nested/deeper/renamed.sqlite")) {
                HttpResponse<String> refused = jar.post("/api/plans/" + plan + "/checkpoints", "{\"resource\":\"" + name + "\"}");
                assertThat(refused.statusCode()).as(name + ": " + refused.body()).isEqualTo(422);
                assertThat(refused.body()).contains("service's own database");
                acknowledged += write(jar, 5);
            }

            // a legitimate resource, checkpointed, then swapped for a hard link of state.db before the rollback
            Sqlite3.createResource(resources.resolve("swap.db"), 3);
            HttpResponse<String> cp = jar.post("/api/plans/" + plan + "/checkpoints", "{\"resource\":\"swap.db\"}");
            assertThat(cp.statusCode()).as(cp.body()).isEqualTo(201);
            String cpId = cp.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            Path tmpLink = resources.resolve("swap.tmp");
            Files.createLink(tmpLink, data.resolve("state.db"));
            Files.move(tmpLink, resources.resolve("swap.db"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            HttpResponse<String> rollback = jar.post("/api/plans/" + plan + "/checkpoints/" + cpId + "/rollback", "");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(422);
            acknowledged += write(jar, 5);

            // the service still holds its locks: an outside connection's close must not take the WAL away
            assertThat(Sqlite3.run(data.resolve("state.db"), "SELECT COUNT(*) FROM messages")).isEqualTo(Integer.toString(acknowledged));
            assertThat(Files.exists(data.resolve("state.db-wal"))).as("-wal survives an outside close").isTrue();
            acknowledged += write(jar, 20);
            assertThat(jar.stop()).isIn(0, 143);
        }
        Path db = work.resolve("data/state.db");
        assertThat(Sqlite3.run(db, "PRAGMA integrity_check")).isEqualTo("ok");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages WHERE session_id = 'own'")).isEqualTo(Integer.toString(acknowledged));
    }

    @Test
    void aResourcesRootOrCheckpointStoreHoldingTheDatabaseRefusesToStart() throws Exception {
        Path work;
        try (JarProcess jar = JarProcess.start(List.of(), AUTH)) {
            work = jar.workDir;
            jar.token = TOKEN;
            assertThat(jar.post("/api/sessions", "{\"id\":\"kept\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
            assertThat(jar.stop()).isIn(0, 143);
        }
        Path db = work.resolve("data/state.db");
        byte[] before = Files.readAllBytes(db);
        for (String setting : List.of("--statehouse.resources.root=./data", "--statehouse.resources.root=.",
                "--statehouse.checkpoints.dir=./data", "--statehouse.checkpoints.dir=.", "--statehouse.checkpoints.dir=" + work)) {
            Path log = Files.createTempFile("refused-start", ".log");
            Process p = JarProcess.launch(work, log, List.of(), AUTH, setting);
            boolean exited = p.waitFor(90, TimeUnit.SECONDS);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String out = Files.readString(log);
            assertThat(exited).as(setting + " must refuse to start\n" + out).isTrue();
            assertThat(p.exitValue()).as(setting + "\n" + out).isNotZero();
            assertThat(out).as(setting).containsPattern("(?m)^.*" + java.util.regex.Pattern.quote(db.toString()) + ".*(contains|inside).*$");
            assertThat(out).as("no stack trace").doesNotContain("\tat ");
            assertThat(Files.readAllBytes(db)).as("the database is untouched").isEqualTo(before);
        }
        assertThat(Sqlite3.run(db, "SELECT id FROM sessions")).isEqualTo("kept");
    }

    private static int write(JarProcess jar, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = jar.post("/api/sessions/own/messages", "{\"role\":\"user\",\"content\":\"m" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        return n;
    }
}
