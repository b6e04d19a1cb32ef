package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.SQLException;

import dev.statehouse.support.Postgres;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The start-up checks on real servers (18 and 15): a database the service can use passes; one
 * whose ids would sort differently from SQLite, a pool the server cannot hold, and a pool too
 * small for the start-up migration are refused, each with its reason in one line.
 */
class PostgresStartupCheckPostgresTest {

    private static final String WHERE = "jdbc:postgresql://test/db";

    @Test
    void aDatabaseTheServiceCanUsePasses() throws Exception {
        try (Connection c = Postgres.connect(Postgres.newDatabase("startok"))) {
            assertThatCode(() -> PostgresStartupCheck.verify(c, 8, WHERE)).doesNotThrowAnyException();
        }
    }

    /**
     * An ICU database keeps a libc collation of C in {@code datcollate} while its text sorts by the
     * ICU locale: {@code _} before digits, {@code a} before {@code B}. Cursors and claim order
     * would differ from SQLite's.
     */
    @Test
    void anIcuCollationIsRefusedThoughItsLibcCollationIsC() throws Exception {
        String name = "startup_icu_" + System.nanoTime();
        try {
            Postgres.jdbc(Postgres.url("postgres")).execute("CREATE DATABASE " + name
                    + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        } catch (UncategorizedSQLException e) {
            assumeTrue(!String.valueOf(e.getMessage()).contains("ICU is not supported"), "this server is built without ICU");
            throw e;
        }
        String url = Postgres.url(name);
        assertThat(Postgres.jdbc(url).queryForObject("SELECT string_agg(c, '' ORDER BY c) FROM unnest(ARRAY['a', 'B', '_', '0']) c",
                String.class)).as("the database really sorts by ICU").isNotEqualTo("0B_a");
        refusal(url, 8).hasMessageContaining("ICU en-US").hasMessageContaining("not C");
    }

    @Test
    void aPoolTheServerCannotHoldIsRefused() throws Exception {
        refusal(Postgres.newDatabase("startbig"), 100_000).hasMessageContaining("a pool of 100000 does not fit");
    }

    /** The migration at start holds two connections (Flyway's lock and its work): a pool of one waited out its timeout. */
    @Test
    void aPoolOfOneIsRefused() throws Exception {
        refusal(Postgres.newDatabase("startone"), 1).hasMessageContaining("maximum-pool-size is 1").hasMessageContaining("at least 2");
    }

    /** The check's refusal of the database at {@code url} for a pool of {@code poolMax}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refusal(String url, int poolMax) throws SQLException {
        try (Connection c = Postgres.connect(url)) {
            return assertThatThrownBy(() -> PostgresStartupCheck.verify(c, poolMax, WHERE)).isInstanceOf(StorageStartupException.class);
        }
    }
}
