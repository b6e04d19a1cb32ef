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

    private static final String SIDEBAR = "/api/sessions?include_empty=true&limit=200";

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
        String heldEtag;
        String heldBody;
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
            var sidebar = jar.get(SIDEBAR);
            heldEtag = sidebar.headers().firstValue("ETag").orElseThrow(); // a poller's, from before the restore
            heldBody = sidebar.body();

            StringBuilder refused = new StringBuilder();
            assertThat(restore(work, work.resolve("kept.db"), refused)).as(refused.toString()).isEqualTo(2);
            assertThat(refused.toString()).contains("is open in process");
            assertThat(jar.get("/api/sessions/after_backup").statusCode()).as("a refused restore changes nothing").isEqualTo(200);
            assertThat(jar.stop()).isIn(0, 143);
        }
        Path kept = work.resolve("kept.db");
        String versionBefore = Sqlite3.run(work.resolve("data/state.db"), "SELECT version FROM data_versions WHERE scope = 'sessions';").trim();
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

            // the restored data versions count up again from the backup's: past the version the held
            // ETag was issued for, it must still never validate the body of the restored database
            int writes = 0;
            int notModified = 0;
            long before = Long.parseLong(versionBefore);
            while (Long.parseLong(Sqlite3.run(work.resolve("data/state.db"),
                    "SELECT version FROM data_versions WHERE scope = 'sessions';").trim()) <= before + 2 && writes < 600) {
                assertThat(again.post("/api/sessions", "{\"id\":\"restored_" + writes++ + "\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
                var poll = again.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(again.url(SIDEBAR)))
                        .header("Authorization", "Bearer " + TOKEN).header("If-None-Match", heldEtag).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (poll.statusCode() == 304) {
                    notModified++;
                } else {
                    assertThat(poll.statusCode()).isEqualTo(200);
                    assertThat(poll.body()).isNotEqualTo(heldBody);
                }
            }
            System.out.printf("restore: %d writes after the restore, the held ETag validated %d of the polls%n", writes, notModified);
            assertThat(notModified).as("polls answered 304 for an ETag issued before the restore (a different body)").isZero();
        }
    }

    /**
     * Backups asked for at once: one runs, the others are told so (409), nothing is logged as an
     * error. A backup volume of its own that is full: 507 naming that volume, while the database's
     * writes and readiness are untouched.
     */
    @Test
    void concurrentBackupsConflictAndAFullBackupVolumeIsNotTheDatabases() throws Exception {
        Path work = Files.createTempDirectory("statehouse-backup-");
        Path volume = Files.createTempDirectory("statehouse-backup-volume-");
        boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", volume.toString())
                .redirectErrorStream(true).start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root");
        try (JarProcess jar = JarProcess.start(work, List.of(), ARGS)) {
            jar.token = TOKEN;
            for (int i = 0; i < 300; i++) { // a database larger than the backup volume
                assertThat(jar.post("/api/sessions", "{\"id\":\"filler_" + i + "\",\"source\":\"cli\",\"title\":\"" + "x".repeat(200)
                        + "\"}").statusCode()).isEqualTo(201);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<java.net.http.HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> jar.post("/actuator/backup", "")));
            }
            int ok = 0;
            for (var a : answers) {
                var r = a.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(200, 409);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.body()).contains("already running");
                }
            }
            pool.shutdown();
            assertThat(ok).isPositive();
            assertThat(jar.output()).as("no ERROR for a backup that was already running").doesNotContain("ERROR");
        }
        try (JarProcess jar = JarProcess.start(work, List.of(), concat(ARGS, "--statehouse.backup.dir=" + volume))) {
            jar.token = TOKEN;
            var full = jar.post("/actuator/backup", "");
            assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
            assertThat(full.body()).contains(volume.toString()).contains("backup volume");
            assertThat(jar.post("/api/sessions", "{\"id\":\"after_full_backup\",\"source\":\"cli\"}").statusCode())
                    .as("the database takes writes").isEqualTo(201);
            var ready = jar.get("/actuator/health/readiness");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"writes\":{\"ok\":true").doesNotContain("disk_full");
            assertThat(jar.output()).doesNotContain("ERROR");
        } finally {
            new ProcessBuilder("umount", "-l", volume.toString()).start().waitFor();
        }
    }

    private static String[] concat(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
