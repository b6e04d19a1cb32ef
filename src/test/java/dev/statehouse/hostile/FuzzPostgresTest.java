package dev.statehouse.hostile;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link FuzzTest}, every test of it, on PostgreSQL (a database of its own). */
@DirtiesContext
class FuzzPostgresTest extends FuzzTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "fuzztest");
    }
}
