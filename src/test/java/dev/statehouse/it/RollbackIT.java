package dev.statehouse.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollback is only reported once the resource really holds the snapshot's content. While another
 * process holds a lock that keeps the restore out (a writer on a WAL resource, a reader on a
 * rollback-journal one), the answer after {@code restore-timeout} is 503 with Retry-After, the
 * file is unchanged and {@code restore_count} is not incremented; a lock released within the
 * timeout only delays the rollback.
 */
class RollbackIT {

    private static final String TOKEN = "it-token-rollback-0123456789";

    @Test
    void aRollbackBlockedByAnotherProcessIs503AndChangesNothingThenSucceeds() throws Exception {
        try (JarProcess jar = JarProcess.start(List.of(), "--statehouse.auth.tokens.it.token=" + TOKEN,
                "--statehouse.checkpoints.restore-timeout=3s")) {
            jar.token = TOKEN;
            Path resources = jar.workDir.resolve("data/resources");
            assertThat(jar.post("/api/plans", "{\"id\":\"rb\"}").statusCode()).isEqualTo(201);

            for (String mode : List.of("WAL", "DELETE")) {
                Path db = resources.resolve(mode + ".db");
                Sqlite3.createResource(db, 20);
                Sqlite3.run(db, "PRAGMA journal_mode=" + mode);
                String original = Sqlite3.dump(db);
                String cp = id(jar.post("/api/plans/rb/checkpoints", "{\"resource\":\"" + mode + ".db\"}"));
                Sqlite3.run(db, "DELETE FROM items WHERE id > 5; UPDATE items SET qty = -1;");
                String changed = Sqlite3.dump(db);
                String rollback = "/api/plans/rb/checkpoints/" + cp + "/rollback";

                // WAL: a writer keeps the restore's write lock away; DELETE: so does a reader's SHARED lock
                String hold = mode.equals("WAL") ? "BEGIN IMMEDIATE; UPDATE items SET qty = qty;" : "BEGIN; SELECT COUNT(*) FROM items;";
                try (HeldLock lock = HeldLock.on(db, hold)) {
                    long start = System.nanoTime();
                    HttpResponse<String> blocked = jar.post(rollback, "");
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(blocked.statusCode()).as(mode + ": " + blocked.body()).isEqualTo(503);
                    assertThat(blocked.headers().firstValue("Retry-After")).as(mode).isPresent();
                    assertThat(blocked.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                    assertThat(tookMs).as(mode + ": bounded by restore-timeout").isBetween(2_500L, 9_000L);
                }
                assertThat(Sqlite3.dump(db)).as(mode + ": nothing changed").isEqualTo(changed);
                String listed = jar.get("/api/plans/rb/checkpoints").body();
                String entry = listed.substring(listed.indexOf("\"id\":\"" + cp + "\""));
                assertThat(entry.substring(0, entry.indexOf('}'))).as(mode).contains("\"restore_count\":0");

                // a lock released within the timeout only delays the rollback
                HeldLock brief = HeldLock.on(db, hold);
                Thread release = new Thread(() -> {
                    sleep(1200);
                    brief.close();
                });
                release.start();
                HttpResponse<String> done = jar.post(rollback, "");
                release.join();
                assertThat(done.statusCode()).as(mode + ": " + done.body()).isEqualTo(200);
                assertThat(done.body()).contains("\"restore_count\":1");
                assertThat(Sqlite3.dump(db)).as(mode + ": restored").isEqualTo(original);
                assertThat(Sqlite3.run(db, "PRAGMA integrity_check")).isEqualTo("ok");
            }
        }
    }

    private static String id(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A sqlite3 process that ran {@code sql} and keeps its transaction open until closed. */
    static final class HeldLock implements AutoCloseable {
        private final Process process;
        private final OutputStream in;

        private HeldLock(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
        }

        static HeldLock on(Path db, String sql) throws Exception {
            Process p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
            HeldLock lock = new HeldLock(p);
            lock.in.write((".timeout 5000\n" + sql + "\nSELECT 'locked';\n").getBytes(StandardCharsets.UTF_8));
            lock.in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("locked")) {
                // the SELECT's count, if any
            }
            assertThat(line).as("sqlite3 holds the lock").isEqualTo("locked");
            return lock;
        }

        @Override
        public void close() {
            try {
                in.write("ROLLBACK;\n.quit\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                in.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }
}
