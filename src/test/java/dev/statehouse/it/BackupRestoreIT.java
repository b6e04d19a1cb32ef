package dev.statehouse.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without Litestream: {@code POST /actuator/backup} writes a consistent online copy while writes go
 * on, the age metric tells when the last one was made, and {@code java -jar statehouse.jar restore
 * BACKUP} puts it back — refused while the service has the database open or for a file that is no
 * Statehouse backup.
 */
class BackupRestoreIT {

    private static final String TOKEN = "it-token-backups-0123456789";
    private static final String[] ARGS = {"--statehouse.auth.tokens.it.token=" + TOKEN, "--statehouse.auth.tokens.it.scopes=read,write,metrics",
            "--statehouse.backup.keep=2"};

    private static int restore(Path work, Path backup, StringBuilder output) throws Exception {
        Path log = Files.createTempFile("restore-", ".log");
        Process p = JarProcess.command(work, log, "restore", backup.toString(), "--statehouse.storage.path=" + work.resolve("data/state.db"));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output.append(Files.readString(log));
        return p.exitValue();
    }

    @Test
    void aBackupTakenUnderLoadRestoresToExactlyWhatItHeld() throws Exception {
        Path work = Files.createTempDirectory("statehouse-backup-");
        Path backup;
        try (JarProcess jar = JarProcess.start(work, List.of(), ARGS)) {
            jar.token = TOKEN;
            assertThat(jar.get("/actuator/prometheus").body()).contains("statehouse_backup_age_seconds NaN");
            for (int i = 0; i < 20; i++) {
                assertThat(jar.post("/api/sessions", "{\"id\":\"before_" + i + "\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
            }
            Thread writer = new Thread(() -> { // writes go on while the backup is taken
                for (int i = 0; i < 200; i++) {
                    try {
                        jar.post("/api/sessions", "{\"id\":\"during_" + i + "\",\"source\":\"cli\"}");
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            writer.start();
            var made = jar.post("/actuator/backup", "");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
            writer.join();
            String file = made.body().replaceAll(".*\"file\":\"([^\"]+)\".*", "$1");
            backup = work.resolve("data/backups").resolve(file);
            assertThat(backup).exists();
            Files.copy(backup, work.resolve("kept.db")); // kept aside: rotation (keep=2) removes it below
            assertThat(jar.get("/actuator/backup").body()).contains(file);
            String metrics = jar.get("/actuator/prometheus").body();
            assertThat(metrics).containsPattern("statehouse_backup_age_seconds [0-9.]+(E-?[0-9]+)?\\n");
            for (int i = 0; i < 3; i++) { // retention: keep=2
                assertThat(jar.post("/actuator/backup", "").statusCode()).isEqualTo(200);
            }
            assertThat(Files.list(work.resolve("data/backups")).filter(f -> f.toString().endsWith(".db")).count()).isEqualTo(2);
            assertThat(jar.post("/api/sessions", "{\"id\":\"after_backup\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);

            StringBuilder refused = new StringBuilder();
            assertThat(restore(work, work.resolve("kept.db"), refused)).as(refused.toString()).isEqualTo(2);
            assertThat(refused.toString()).contains("is open in process");
            assertThat(jar.get("/api/sessions/after_backup").statusCode()).as("a refused restore changes nothing").isEqualTo(200);
            assertThat(jar.stop()).isIn(0, 143);
        }
        Path kept = work.resolve("kept.db");
        assertThat(Sqlite3.run(kept, "PRAGMA integrity_check;").trim()).isEqualTo("ok");
        long inBackup = Long.parseLong(Sqlite3.run(kept, "SELECT COUNT(*) FROM sessions;").trim());

        Files.writeString(work.resolve("not-a-backup.db"), "hello");
        StringBuilder bad = new StringBuilder();
        assertThat(restore(work, work.resolve("not-a-backup.db"), bad)).as(bad.toString()).isEqualTo(2);

        StringBuilder output = new StringBuilder();
        assertThat(restore(work, kept, output)).as(output.toString()).isZero();
        assertThat(Sqlite3.run(work.resolve("data/state.db"), "PRAGMA integrity_check;").trim()).isEqualTo("ok");
        try (JarProcess again = JarProcess.start(work, List.of(), ARGS)) {
            again.token = TOKEN;
            for (int i = 0; i < 20; i++) {
                assertThat(again.get("/api/sessions/before_" + i).statusCode()).isEqualTo(200);
            }
            assertThat(again.get("/api/sessions/after_backup").statusCode()).as("written after the backup").isEqualTo(404);
            assertThat(again.get("/api/sessions?include_empty=true&limit=200").body()).contains("before_0");
            assertThat(Long.parseLong(Sqlite3.run(work.resolve("data/state.db"), "SELECT COUNT(*) FROM sessions;").trim())).isEqualTo(inBackup);
        }
    }
}
