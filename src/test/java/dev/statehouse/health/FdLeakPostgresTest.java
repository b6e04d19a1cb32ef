package dev.statehouse.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.statehouse.support.Postgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fdLeak rules on PostgreSQL, with real leaks: connections opened outside the pool and never
 * closed push the sockets to the server over the pool's budget; a pooled connection left idle
 * inside a transaction is seen by the server-side rule. Each fires, then clears once the leak is gone.
 */
@TestPropertySource(properties = {
        "statehouse.fd-leak.consecutive-samples=2",
        "statehouse.fd-leak.wal-margin=1",
        "statehouse.fd-leak.idle-in-transaction-warning=1s",
        "statehouse.fd-leak.idle-in-transaction-critical=2500ms",
        "spring.datasource.hikari.maximum-pool-size=4",
        "spring.datasource.hikari.minimum-idle=4",
        "statehouse.postgresql.application-name=statehouse-fdleak-test",
})
@DirtiesContext
class FdLeakPostgresTest extends LeakTestSupport {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "fdleak");
    }

    @Autowired
    DataSource pool;

    @Value("${spring.datasource.url}")
    String url;

    @Test
    void connectionsLeakedOutsideThePoolGoDownAndClearOnceClosed() throws Exception {
        sampler.sampleNow();
        JsonNode healthy = fdLeak();
        assertThat(healthy.get("status").asString()).isEqualTo("UP");
        assertThat(healthy.get("details").get("engine").asString()).isEqualTo("postgresql");
        assertThat(healthy.get("details").get("databaseConnections").asInt()).as("the pool's four sockets to the server").isEqualTo(4);
        assertThat(healthy.get("details").get("byKind").get("db_wal").asInt()).isZero();

        for (int i = 0; i < 3; i++) { // opened per request and never closed: the classic leak
            leaked.add(DriverManager.getConnection(url, "postgres", "postgres"));
        }
        sampler.sampleNow();
        assertThat(fdLeak().get("details").get("warnings").toString()).contains("connections to the database server over the budget of 5");
        sampler.sampleNow();
        JsonNode down = fdLeak();
        assertThat(down.get("status").asString()).isEqualTo("DOWN");
        assertThat(down.get("details").get("databaseConnections").asInt()).isEqualTo(7);
        assertThat(down.get("details").get("reasons").toString()).contains("7 connections to the database server over the budget of 5");

        for (AutoCloseable c : leaked) {
            c.close();
        }
        leaked.clear();
        sampler.sampleNow();
        assertThat(fdLeak().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void aConnectionLeftIdleInATransactionWarnsThenGoesDownAndClears() throws Exception {
        Connection borrowed = pool.getConnection(); // from the pool: it carries this pod's application_name
        leaked.add(borrowed);
        borrowed.setAutoCommit(false);
        try (Statement s = borrowed.createStatement()) {
            s.execute("UPDATE data_versions SET version = version WHERE scope = 'kanban'"); // holds a row lock, then nothing
        }
        Thread.sleep(1300);
        sampler.sampleNow();
        JsonNode warned = fdLeak();
        assertThat(warned.get("status").asString()).isEqualTo("UP");
        assertThat(warned.get("details").get("warnings").toString()).contains("idle in a transaction");
        assertThat(warned.get("details").get("serverSessions").get("idleInTransaction").asInt()).isEqualTo(1);
        Thread.sleep(1500);
        sampler.sampleNow();
        JsonNode down = fdLeak();
        assertThat(down.get("status").asString()).isEqualTo("DOWN");
        assertThat(down.get("details").get("reasons").toString()).contains("1 session(s) of this pod idle in a transaction");

        borrowed.rollback();
        borrowed.setAutoCommit(true);
        sampler.sampleNow();
        JsonNode cleared = fdLeak();
        assertThat(cleared.get("status").asString()).isEqualTo("UP");
        assertThat(cleared.get("details").get("serverSessions").get("idleInTransaction").asInt()).isZero();
    }
}
