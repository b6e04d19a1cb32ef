package dev.statehouse.hostile;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link HostileInputTest}, every test of it, on PostgreSQL (a database of its own). */
@DirtiesContext
class HostileInputPostgresTest extends HostileInputTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "hostileinputtest");
    }
}
