package dev.statehouse.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, started as an operator would with no arguments in an empty directory:
 * it creates ./data/state.db, answers the probes, and on SIGTERM checkpoints and removes -wal/-shm.
 */
class PackagedJarIT {

    @Test
    void jarStartsOnItsEmbeddedDefaultAndShutsDownClean() throws Exception {
        Path jar = Path.of(System.getProperty("statehouse.jar", "target/statehouse.jar")).toAbsolutePath();
        assertThat(jar).exists();
        Path workDir = Files.createTempDirectory("statehouse-jar-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = workDir.resolve("out.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + port)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            int liveness = waitForStatus(client, "http://127.0.0.1:" + port + "/actuator/health/liveness", process, log);
            assertThat(liveness).isEqualTo(200);
            HttpResponse<String> readiness = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sessions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"jar_it\",\"source\":\"it\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            Path db = workDir.resolve("data").resolve("state.db");
            assertThat(db).exists();
            assertThat(Path.of(db + "-wal")).exists();
        } finally {
            process.destroy(); // SIGTERM: graceful shutdown
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        Path db = workDir.resolve("data").resolve("state.db");
        assertThat(Path.of(db + "-wal")).as("WAL folded in and removed on shutdown").doesNotExist();
        assertThat(Path.of(db + "-shm")).doesNotExist();
        String output = Files.readString(log);
        assertThat(output).contains("shutdown checkpoint");
        Process check = new ProcessBuilder("sqlite3", db.toString(), "SELECT id FROM sessions WHERE id='jar_it'")
                .redirectErrorStream(true).start();
        assertThat(new String(check.getInputStream().readAllBytes()).trim()).isEqualTo("jar_it");
        deleteTree(workDir.toFile());
    }

    private static int waitForStatus(HttpClient client, String url, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("jar exited early:\n" + Files.readString(log));
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("no answer from " + url + ":\n" + Files.readString(log));
    }

    private static void deleteTree(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteTree(c);
            }
        }
        f.delete();
    }
}
