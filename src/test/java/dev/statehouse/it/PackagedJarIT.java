package dev.statehouse.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
