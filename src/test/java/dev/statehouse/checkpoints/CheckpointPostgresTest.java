package dev.statehouse.checkpoints;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;

import dev.statehouse.support.Http;
import dev.statehouse.support.Postgres;
import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CheckpointTest}, every test of it, on PostgreSQL (a database of its own); and the locks that
 * serialise checkpoint work across replicas, held here by another session as another replica would.
 */
@DirtiesContext
class CheckpointPostgresTest extends CheckpointTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "checkpointtest");
    }

    @Autowired
    SnapshotStore snapshots;

    private Connection otherReplica() throws Exception {
        return Postgres.connect(datasourceUrl);
    }

    private static void lock(Connection c, String name) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 16))")) {
            s.setString(1, name);
            s.execute();
        }
    }

    @Test
    void aCheckpointWaitsWhileAnotherReplicaWorksOnTheSameResource() throws Exception {
        String name = unique("locked") + ".db";
        Path db = paths.root().resolve(name);
        Sqlite3.createResource(db, 3);
        String plan = http.post("/api/plans", map("description", "two replicas")).json().get("id").asString();
        long took;
        try (Connection other = otherReplica()) {
            lock(other, "statehouse.resource:" + db.toRealPath());
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    other.close(); // the other replica finishes (or dies): its session lock goes with it
                } catch (Exception ignored) {
                    // closing anyway
                }
            });
            release.start();
            long start = System.nanoTime();
            Http.Response r = http.post("/api/plans/" + plan + "/checkpoints", map("resource", name, "label", "after the other"));
            took = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
            release.join();
        }
        assertThat(took).as("ms the checkpoint waited for the other replica's lock").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void theReaperRunsOnOneReplicaAtATime() throws Exception {
        String plan = http.post("/api/plans", map("description", "idle")).json().get("id").asString();
        jdbc.update("UPDATE plans SET updated_at = 1 WHERE id = ?", plan); // idle since 1970
        try (Connection other = otherReplica()) {
            lock(other, "statehouse.checkpoints.reaper");
            assertThat(snapshots.reap()).as("another replica is reaping").isZero();
            // unlocked before the close: a closed session's locks go when its server process has exited, a moment later
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                s.execute();
            }
        }
        assertThat(snapshots.reap()).isGreaterThanOrEqualTo(1);
    }
}
