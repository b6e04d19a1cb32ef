package dev.statehouse.it;

import java.net.http.HttpResponse;
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
        try (JarProcess jar = JarProcess.start(List.of())) {
            assertThat(jar.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
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
    }
}
