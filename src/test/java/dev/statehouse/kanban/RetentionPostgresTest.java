package dev.statehouse.kanban;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RetentionTest}, every test of it, on PostgreSQL (positions are "tx.id"; one replica at a time prunes). */
@DirtiesContext
class RetentionPostgresTest extends RetentionTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "retention");
    }
}
