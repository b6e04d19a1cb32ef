package dev.statehouse.health;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.statehouse.storage.sqlite.WalMaintenance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scheduled checkpoints: PASSIVE routinely, TRUNCATE once the WAL passes its threshold (256 KB here). */
class WalMaintenanceTest extends LeakTestSupport {

    @Autowired
    WalMaintenance wal;

    @Test
    void aWalPastTheThresholdIsTruncatedByTheScheduledCheckpoint() throws Exception {
        String s = "wal_" + System.nanoTime();
        assertThat(http.post("/api/sessions", map("id", s, "source", "wal")).status()).isEqualTo(201);
        String content = "w".repeat(8 * 1024);
        Path walFile = Path.of(DATA_DIR.resolve("state.db") + "-wal");
        int writes = 0;
        while (Files.size(walFile) <= 256 * 1024 && writes < 2000) {
            // a bigger burst than a passive checkpoint can fold in between two ticks
            for (int i = 0; i < 40; i++) {
                assertThat(http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", content)).status()).isEqualTo(201);
                writes++;
            }
        }
        assertThat(Files.size(walFile)).isGreaterThan(256 * 1024);

        await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(Files.size(walFile)).isLessThanOrEqualTo(256 * 1024));
        WalMaintenance.Checkpoint last = wal.lastCheckpoint();
        assertThat(last).isNotNull();
        assertThat(last.error()).isNull();

        JsonNode storage = http.get("/actuator/health/readiness").json().get("components").get("storage");
        assertThat(storage.get("status").asString()).isEqualTo("UP");
        assertThat(storage.get("details").get("journalMode").asString()).isEqualTo("wal");
        assertThat(storage.get("details").get("walBytes").asLong()).isLessThanOrEqualTo(256 * 1024);
        assertThat(storage.get("details").get("walTruncateThresholdBytes").asLong()).isEqualTo(256 * 1024);
        assertThat(storage.get("details").get("lastCheckpoint").get("mode").asString()).isIn("PASSIVE", "TRUNCATE");
        assertThat(http.get("/api/sessions/" + s).json().get("message_count").asLong()).isEqualTo(writes);
    }

    @Test
    void aTruncateCheckpointEmptiesTheWal() {
        assertThat(http.post("/api/sessions", map("source", "wal")).status()).isEqualTo(201);
        WalMaintenance.Checkpoint cp = wal.checkpoint("TRUNCATE");
        assertThat(cp.error()).isNull();
        assertThat(cp.busy()).isFalse();
        assertThat(wal.walBytes()).isZero();
    }
}
