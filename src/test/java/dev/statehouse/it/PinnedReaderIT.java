package dev.statehouse.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another process (python3's sqlite3) holds a read transaction on {@code state.db} while the
 * service keeps writing past the WAL's truncate threshold. No write may wait behind a checkpoint
 * that cannot finish (before: each TRUNCATE held the write lock for the whole busy timeout, and
 * writes got 503); readiness names the pinning process, the gauge counts the seconds, and once the
 * reader is gone the WAL is truncated again.
 */
class PinnedReaderIT {

    private static final String TOKEN = "it-token-pinned-reader-0123456789";

    @Test
    void aPinnedReaderNeverStallsWritersAndIsReported() throws Exception {
        try (JarProcess jar = JarProcess.start(List.of(), "--statehouse.auth.tokens.it.token=" + TOKEN,
                "--statehouse.auth.tokens.it.scopes=read,write,metrics",
                "--statehouse.storage.checkpoint-interval=300ms", "--statehouse.storage.wal-truncate-threshold=64KB")) {
            jar.token = TOKEN;
            assertThat(jar.post("/api/sessions", "{\"id\":\"pin\",\"source\":\"cli\"}").statusCode()).isEqualTo(201);
            Path db = jar.workDir.resolve("data/state.db");
            String body = "{\"role\":\"user\",\"content\":\"" + "p".repeat(4000) + "\"}";

            Process reader = new ProcessBuilder("python3", "-c", """
                    import sqlite3, sys
                    c = sqlite3.connect(sys.argv[1], isolation_level=None)
                    c.execute('BEGIN')
                    print(c.execute('SELECT COUNT(*) FROM messages').fetchone()[0], flush=True)
                    sys.stdin.read()
                    c.execute('COMMIT')
                    """, db.toString()).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).as("the reader holds its snapshot").isEqualTo("0");

                long worstMs = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                int writes = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = jar.post("/api/sessions/pin/messages", body);
                    worstMs = Math.max(worstMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    writes++;
                }
                System.out.printf("pinned WAL: %d writes in 6 s, worst %d ms, WAL %d bytes%n", writes, worstMs, Files.size(Path.of(db + "-wal")));
                assertThat(worstMs).as("no write waits behind a checkpoint").isLessThan(1000);
                assertThat(Files.size(Path.of(db + "-wal"))).as("the WAL grew past the threshold").isGreaterThan(64 * 1024);

                String ready = jar.get("/actuator/health/readiness").body();
                assertThat(ready).as(ready).contains("\"walPinned\"").contains(reader.pid() + " (python3)");
                assertThat(jar.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
                String metrics = jar.get("/actuator/prometheus").body();
                assertThat(metrics).containsPattern("(?m)^statehouse_wal_pinned_seconds(\\{[^}]*\\})? [1-9]");
            } finally {
                reader.getOutputStream().close();
                assertThat(reader.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(jar.get("/actuator/health/readiness").body()).doesNotContain("walPinned");
                assertThat(Files.size(Path.of(db + "-wal"))).as("truncated once the reader left").isLessThanOrEqualTo(64 * 1024);
            });
        }
    }
}
