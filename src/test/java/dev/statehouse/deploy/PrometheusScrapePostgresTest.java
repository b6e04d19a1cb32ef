package dev.statehouse.deploy;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link PrometheusScrapeTest} on PostgreSQL: the SQLite-only panels return nothing, the rest return series. */
@DirtiesContext
class PrometheusScrapePostgresTest extends PrometheusScrapeTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "prometheus");
    }
}
