package dev.statehouse.web;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConditionalGetTest}, every test of it, on PostgreSQL (a database of its own). */
@DirtiesContext
class ConditionalGetPostgresTest extends ConditionalGetTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "conditionalgettest");
    }
}
