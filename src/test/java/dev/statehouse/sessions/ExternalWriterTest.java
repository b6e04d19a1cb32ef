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
import static org.awaitility.Awaitility.await;

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

    /** HELP.md's promise: a session another process inserts into the file shows in the sidebar within the cache TTL (1 s). */
    @Test
    void aSessionInsertedByAnotherProcessShowsInTheSidebarWithinTheCacheTtl() throws Exception {
        String id = unique("outside");
        assertThat(http.get("/api/sessions?limit=200").raw().body()).doesNotContain(id); // the page is cached now
        double now = System.currentTimeMillis() / 1000.0 + 3600; // newer than anything the other tests wrote
        dev.statehouse.support.Sqlite3.run(database.file(), "BEGIN; INSERT INTO sessions(id, source, title, started_at, last_activity_at, message_count) "
                + "VALUES ('" + id + "', 'cli', 'written by sqlite3', " + now + ", " + now + ", 1); "
                + "INSERT INTO messages(session_id, role, content, timestamp) VALUES ('" + id + "', 'user', 'hi', " + now + "); COMMIT;");
        await().atMost(java.time.Duration.ofSeconds(3)).pollInterval(java.time.Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.get("/api/sessions?limit=200").raw().body()).as("the outside session within the TTL")
                        .contains(id).contains("written by sqlite3"));
        assertThat(http.get("/api/sessions?source=cli&limit=1").json().get("items").get(0).get("id").asString()).isEqualTo(id);
        // and the API takes it from there: a message through the API moves it as usual
        assertThat(http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", "hello")).status()).isEqualTo(201);
        assertThat(http.get("/api/sessions/" + id).json().get("message_count").asLong()).isEqualTo(2);
    }

    /**
     * Whatever another process puts in {@code tool_calls}, the API answers valid JSON: text that is
     * not one JSON value (broken JSON, a NUL, trailing text) comes back as a JSON string holding it;
     * JSON comes back as JSON.
     */
    @Test
    void toolCallsThatAreNotJsonComeBackAsStringsAndThePageParses() throws Exception {
        String s = unique("badjson");
        assertThat(http.post("/api/sessions", map("id", s, "source", "cli")).status()).isEqualTo(201);
        assertThat(http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "first")).status()).isEqualTo(201);
        outsideWrite("INSERT INTO messages(session_id, role, content, tool_calls, timestamp) VALUES "
                + "('" + s + "', 'assistant', 'a', '[{\"name\": \"broken', 1), "
                + "('" + s + "', 'assistant', 'b', 'x' || char(0) || 'y', 2), "
                + "('" + s + "', 'assistant', 'c', '[1] trailing', 3), "
                + "('" + s + "', 'assistant', 'd', '[{\"name\":\"ok\"}]', 4)");
        Http.Response page = http.get("/api/sessions/" + s + "/messages?limit=50");
        assertThat(page.status()).isEqualTo(200);
        tools.jackson.databind.JsonNode items = page.json().get("items"); // throws on invalid JSON
        java.util.Map<String, tools.jackson.databind.JsonNode> byContent = new java.util.HashMap<>();
        for (tools.jackson.databind.JsonNode m : items) {
            byContent.put(m.get("content").asString(), m.get("tool_calls"));
        }
        assertThat(byContent.get("a").asString()).isEqualTo("[{\"name\": \"broken");
        assertThat(byContent.get("b").asString()).isEqualTo("x\u0000y");
        assertThat(byContent.get("c").asString()).isEqualTo("[1] trailing");
        assertThat(byContent.get("d").isArray()).isTrue();
        assertThat(byContent.get("d").get(0).get("name").asString()).isEqualTo("ok");
    }
}
