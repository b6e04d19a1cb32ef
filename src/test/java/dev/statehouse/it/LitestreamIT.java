package dev.statehouse.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQLite default with the real Litestream binary (0.3.13, from the npm package
 * {@code @flydotio/litestream-linux-x64}): writes under load replicate to a file replica; the
 * service and Litestream are killed with SIGKILL at the same instant (the node is gone), the
 * database is deleted, restored from the replica, and the service starts on it and serves every
 * write acknowledged more than the sync interval (1 s) before the kill.
 */
class LitestreamIT {

    private static final String TOKEN = "it-token-litestream-0123456789";
    private static final long SYNC_INTERVAL_MS = 1000;

    /** The binary: $LITESTREAM_BIN, or installed with npm into target/litestream on first use. */
    static Path litestream() throws Exception {
        String env = System.getenv("LITESTREAM_BIN");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        Path prefix = Path.of("target/litestream").toAbsolutePath();
        Path bin = prefix.resolve("node_modules/@flydotio/litestream-linux-x64/litestream");
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(prefix);
            Process npm = new ProcessBuilder("npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix.toString(),
                    "@flydotio/litestream-linux-x64@1.0.1").inheritIO().start();
            assertThat(npm.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(npm.exitValue()).as("npm install of the Litestream binary").isZero();
        }
        return bin;
    }

    private static Process litestream(Path work, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(litestream().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("litestream.log").toFile())).start();
    }

    @Test
    void everyWriteAcknowledgedBeforeTheSyncIntervalSurvivesLosingTheNode() throws Exception {
        Path work = Files.createTempDirectory("statehouse-litestream-");
        Path db = work.resolve("data/state.db");
        Path config = work.resolve("litestream.yml");
        Files.writeString(config, """
                dbs:
                  - path: %s
                    replicas:
                      - type: file
                        path: %s
                        sync-interval: 1s
                """.formatted(db, work.resolve("replica")));
        String[] args = {"--statehouse.auth.tokens.it.token=" + TOKEN, "--statehouse.auth.tokens.it.scopes=read,write,metrics",
                "--statehouse.storage.external-replication=litestream", "--statehouse.storage.checkpoint-interval=1s"};
        Map<String, Long> acknowledged = new ConcurrentHashMap<>(); // session id -> when its 201 arrived (ms)
        long killedAt;
        try (JarProcess jar = JarProcess.start(work, List.of(), args)) {
            jar.token = TOKEN;
            Process replicate = litestream(work, "replicate", "-config", config.toString());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "w" + writer + "_" + i;
                        try {
                            var r = jar.post("/api/sessions", "{\"id\":\"" + id + "\",\"source\":\"cli\"}");
                            if (r.statusCode() == 201) {
                                acknowledged.put(id, System.currentTimeMillis());
                            }
                            jar.post("/api/sessions/" + id + "/messages", "{\"role\":\"user\",\"content\":\"" + "x".repeat(200) + "\"}");
                        } catch (Exception e) {
                            return; // the server is gone
                        }
                    }
                });
                t.start();
                writers.add(t);
            }
            Thread.sleep(8_000);
            // the node is lost: both processes at the same instant
            killedAt = System.currentTimeMillis();
            jar.process.destroyForcibly();
            replicate.destroyForcibly();
            jar.process.waitFor(10, TimeUnit.SECONDS);
            replicate.waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread t : writers) {
                t.join(10_000);
            }
            String metrics = Files.readString(jar.log);
            assertThat(metrics).doesNotContain("WAL truncated"); // Statehouse never TRUNCATEs under Litestream
        }
        assertThat(acknowledged).hasSizeGreaterThan(50);
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        Process restore = litestream(work, "restore", "-config", config.toString(), db.toString());
        assertThat(restore.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(restore.exitValue()).as(Files.readString(work.resolve("litestream.log"))).isZero();
        assertThat(Sqlite3.run(db, "PRAGMA integrity_check;").trim()).isEqualTo("ok");

        long mustHave = acknowledged.values().stream().filter(at -> at < killedAt - SYNC_INTERVAL_MS).count();
        assertThat(mustHave).isPositive();
        try (JarProcess again = JarProcess.start(work, List.of(), args)) {
            again.token = TOKEN;
            int lost = 0;
            for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
                if (e.getValue() < killedAt - SYNC_INTERVAL_MS && again.get("/api/sessions/" + e.getKey()).statusCode() != 200) {
                    lost++;
                }
            }
            assertThat(lost).as("of %d sessions acknowledged more than %d ms before the kill", mustHave, SYNC_INTERVAL_MS).isZero();
            long present = acknowledged.keySet().stream().filter(id -> {
                try {
                    return again.get("/api/sessions/" + id).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }).count();
            System.out.printf("litestream: %d sessions acknowledged, %d more than %d ms before the kill, all of those restored;"
                    + " %d of all acknowledged restored%n", acknowledged.size(), mustHave, SYNC_INTERVAL_MS, present);
            assertThat(again.get("/api/sessions?include_empty=true").statusCode()).isEqualTo(200);
            var write = again.post("/api/sessions", "{\"source\":\"after-restore\"}");
            assertThat(write.statusCode()).as("the restored database takes writes").isEqualTo(201);
        }
    }
}
