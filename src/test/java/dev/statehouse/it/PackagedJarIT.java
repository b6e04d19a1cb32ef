package dev.statehouse.it;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, started as an operator would with no arguments in an empty directory:
 * it creates ./data/state.db, answers the probes, and on SIGTERM checkpoints and removes -wal/-shm.
 */
class PackagedJarIT {

    @Test
    void jarStartsOnItsEmbeddedDefaultAndShutsDownClean() throws Exception {
        Path db;
        Path workDir;
        String token;
        try (JarProcess jar = JarProcess.start(List.of())) {
            workDir = jar.workDir;
            assertThat(jar.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            // no token configured: the first start printed one, once, and kept only its digest
            token = generatedToken(jar.output());
            assertThat(jar.post("/api/sessions", "{\"source\":\"it\"}").statusCode()).isEqualTo(401);
            assertThat(jar.get("/actuator/prometheus").statusCode()).isEqualTo(401);
            jar.token = token;
            assertThat(jar.get("/actuator/prometheus").statusCode()).isEqualTo(200);
            String digestFile = Files.readString(workDir.resolve("data/api-token.sha256"));
            assertThat(digestFile).doesNotContain(token);
            HttpResponse<String> readiness = jar.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            HttpResponse<String> created = jar.post("/api/sessions", "{\"id\":\"jar_it\",\"source\":\"it\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            db = jar.workDir.resolve("data").resolve("state.db");
            assertThat(db).exists();
            assertThat(Path.of(db + "-wal")).exists();

            assertThat(jar.stop()).isIn(0, 143);
            assertThat(Path.of(db + "-wal")).as("WAL folded in and removed on shutdown").doesNotExist();
            assertThat(Path.of(db + "-shm")).doesNotExist();
            assertThat(jar.output()).contains("shutdown checkpoint");
        }
        Process check = new ProcessBuilder("sqlite3", db.toString(), "SELECT id FROM sessions WHERE id='jar_it'")
                .redirectErrorStream(true).start();
        assertThat(new String(check.getInputStream().readAllBytes()).trim()).isEqualTo("jar_it");

        // a second start keeps the same token and never shows it again
        try (JarProcess again = JarProcess.start(workDir, List.of())) {
            assertThat(again.output()).doesNotContain(token).doesNotContain("shown once;");
            again.token = token;
            HttpResponse<String> read = again.get("/api/sessions/jar_it");
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        }
    }

    /**
     * An open event stream must not hold up a SIGTERM. Graceful shutdown waits (up to 30 s) for
     * active requests, and a watcher's stream never ends by itself: every rolling restart of a
     * watched replica took the whole 30 s, and the watcher learnt nothing until the process died.
     * Each stream is now ended at once, cleanly, so its watcher reconnects with its Last-Event-ID.
     */
    @Test
    void anOpenEventStreamEndsCleanlyOnSigtermAndDoesNotHoldUpTheShutdown() throws Exception {
        String token = "it-token-0123456789abcdef";
        try (JarProcess jar = JarProcess.start(List.of(), "--statehouse.auth.tokens.it.token=" + token,
                "--statehouse.auth.tokens.it.scopes=read,write,metrics")) {
            jar.token = token;
            HttpResponse<String> board = jar.post("/api/boards", "{\"slug\":\"stopping\",\"name\":\"stopping\"}");
            assertThat(board.statusCode()).as(board.body()).isEqualTo(201);
            HttpResponse<Stream<String>> stream = jar.client.send(HttpRequest.newBuilder(URI.create(jar.url("/api/boards/stopping/events")))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            Iterator<String> lines = stream.body().iterator();
            while (!lines.next().startsWith(":watching")) {
                // until the stream is open
            }
            CompletableFuture<String> end = CompletableFuture.supplyAsync(() -> {
                try {
                    while (lines.hasNext()) {
                        lines.next();
                    }
                    return "ended";
                } catch (UncheckedIOException e) {
                    return "broken: " + e.getCause();
                }
            });

            long start = System.nanoTime();
            assertThat(jar.stop()).isIn(0, 143);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(seconds).as("SIGTERM to exit with a watcher connected").isLessThan(10);
            assertThat(end.get(5, TimeUnit.SECONDS)).as("the watcher's stream").isEqualTo("ended");
            assertThat(jar.output()).doesNotContain("Graceful shutdown aborted");
        }
    }

    private static String generatedToken(String output) {
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("Statehouse API token (shown once")) {
                return lines[i + 1].trim();
            }
        }
        throw new AssertionError("no generated token in the output:\n" + output);
    }
}
