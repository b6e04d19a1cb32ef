package dev.statehouse.sessions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** A writer outside the pool (the sqlite3 CLI) that holds the write lock only delays requests. */
class ExternalWriterTest extends ServerTestSupport {

    @Test
    void aBrieflyHeldExternalWriteLockDelaysButDoesNotFailWrites() throws Exception {
        String s = unique("ext");
        assertThat(http.post("/api/sessions", map("id", s, "source", "cli")).status()).isEqualTo(201);

        Process sqlite = new ProcessBuilder("sqlite3", database.file().toString())
                .redirectErrorStream(true).start();
        try (OutputStream in = sqlite.getOutputStream()) {
            in.write((".timeout 5000\nBEGIN IMMEDIATE;\n"
                    + "UPDATE sessions SET title = 'external' WHERE id = '" + s + "';\n"
                    + "SELECT 'locked';\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            // wait until the CLI holds the lock
            BufferedReader out = new BufferedReader(new InputStreamReader(sqlite.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            long start = System.nanoTime();
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    in.write("COMMIT;\n.quit\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            Http.Response write = http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "after the lock"));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            release.join();

            assertThat(write.status()).as(write.raw().body()).isEqualTo(201);
            assertThat(waitedMs).as("the write waited for the external lock").isGreaterThanOrEqualTo(1000);
            // reads never wait for a writer in WAL mode
            assertThat(http.get("/api/sessions/" + s).status()).isEqualTo(200);
        }
        assertThat(sqlite.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(http.get("/api/sessions/" + s).json().get("title").asString()).isEqualTo("external");
        assertThat(http.get("/api/sessions/" + s).json().get("message_count").asLong()).isEqualTo(1);
    }
}
