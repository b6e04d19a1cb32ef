package dev.statehouse.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import dev.statehouse.support.Http;
import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another process's last connection unlinked -wal and -shm while this one still has them open:
 * the sampler sees the deleted inodes, recycles the pool, and new connections use the real files.
 */
@EnabledOnOs(OS.LINUX)
class DeletedWalHealTest extends LeakTestSupport {

    private Path db() {
        return DATA_DIR.resolve("state.db");
    }

    private void unlinkWalAndShm() throws Exception {
        Files.delete(Path.of(db() + "-wal"));
        Files.delete(Path.of(db() + "-shm"));
    }

    @Test
    void deletedWalAndShmHandlesAreHealedAndLaterWritesLandInTheRealFiles() throws Exception {
        String before = "heal_before_" + System.nanoTime();
        assertThat(http.post("/api/sessions", map("id", before, "source", "heal")).status()).isEqualTo(201);
        sampler.sampleNow();
        long healsBefore = fdLeak().get("details").get("heals").asLong();

        unlinkWalAndShm();
        assertThat(sampler.inspector().scan().deletedDatabaseFiles()).isNotEmpty();

        sampler.sampleNow(); // sees the deleted handles, heals, re-scans
        JsonNode fd = fdLeak();
        assertThat(fd.get("status").asString()).as(fd.toString()).isEqualTo("UP");
        assertThat(fd.get("details").get("deleted").isEmpty()).isTrue();
        assertThat(fd.get("details").get("heals").asLong()).isEqualTo(healsBefore + 1);
        assertThat(sampler.inspector().scan().deletedDatabaseFiles()).isEmpty();
        assertThat(liveness()).isEqualTo(200);

        String after = "heal_after_" + System.nanoTime();
        Http.Response created = http.post("/api/sessions", map("id", after, "source", "heal"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(http.post("/api/sessions/" + after + "/messages", map("role", "user", "content", "still here")).status()).isEqualTo(201);
        assertThat(http.get("/api/sessions/" + after).json().get("message_count").asLong()).isEqualTo(1);
        // another process sees what was committed after the heal: it is in the real files. (What was
        // committed before the unlink lived in the unlinked WAL; the last old connection folds it
        // back when it can, but no guarantee survives another process deleting a live WAL.)
        assertThat(Sqlite3.run(db(), "SELECT id FROM sessions WHERE id = '" + after + "'")).isEqualTo(after);
        assertThat(Sqlite3.run(db(), "PRAGMA integrity_check")).isEqualTo("ok");
        String metrics = http.get("/actuator/prometheus").raw().body();
        assertThat(metrics).contains("statehouse_fd_heals_total " + (healsBefore + 1) + ".0");
    }

    @Test
    void whenSomethingOutsideThePoolKeepsTheDeletedFilesOpenLivenessGoesDown() throws Exception {
        Connection stray = leakConnection(); // not the pool's: a heal cannot close it
        unlinkWalAndShm();

        sampler.sampleNow();
        JsonNode fd = fdLeak();
        assertThat(fd.get("status").asString()).as(fd.toString()).isEqualTo("DOWN");
        assertThat(reasonsOf(fd)).contains("deleted database files still open after a heal");
        assertThat(fd.get("details").get("deleted").toString()).contains("state.db-wal");
        assertThat(liveness()).isEqualTo(503);

        stray.close();
        leaked.remove(stray);
        sampler.sampleNow(); // heals again, now with nothing outside holding the old files
        JsonNode healed = fdLeak();
        assertThat(healed.get("status").asString()).as(healed.toString()).isEqualTo("UP");
        assertThat(liveness()).isEqualTo(200);
        String id = "heal_down_" + System.nanoTime();
        assertThat(http.post("/api/sessions", map("id", id, "source", "heal")).status()).isEqualTo(201);
        assertThat(Sqlite3.run(db(), "SELECT id FROM sessions WHERE id = '" + id + "'")).isEqualTo(id);
        assertThat(Sqlite3.run(db(), "PRAGMA integrity_check")).isEqualTo("ok");
    }

    private static String reasonsOf(JsonNode fd) {
        return fd.get("details").get("reasons").toString();
    }
}
