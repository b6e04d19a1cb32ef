package dev.statehouse.sessions;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ValidationTest}, every test of it, on PostgreSQL (a database of its own). */
@DirtiesContext
class ValidationPostgresTest extends ValidationTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "validationtest");
    }
}
