package dev.statehouse.checkpoints;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link CheckpointTest}, every test of it, on PostgreSQL (a database of its own). */
@DirtiesContext
class CheckpointPostgresTest extends CheckpointTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "checkpointtest");
    }
}
