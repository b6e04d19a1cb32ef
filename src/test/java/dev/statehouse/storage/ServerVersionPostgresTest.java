package dev.statehouse.storage;

import dev.statehouse.support.Postgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL suites run where the build says they run: on embedded 18 in the default test
 * execution, on Debian's 15 in the {@code postgresql-15} one ({@code statehouse.test.postgres.major}),
 * with the collation the start-up check demands. Without this, a misconfigured execution would
 * quietly run every suite on the same server twice.
 */
class ServerVersionPostgresTest {

    @Test
    void theSuitesRunOnTheServerTheBuildNames() {
        JdbcTemplate db = Postgres.jdbc(Postgres.newDatabase("version"));
        int expected = Integer.getInteger("statehouse.test.postgres.major", 18);
        Integer versionNum = db.queryForObject("SELECT current_setting('server_version_num')::int", Integer.class);
        assertThat(versionNum / 10000).as("server major version").isEqualTo(expected);
        assertThat(db.queryForObject("SELECT datcollate FROM pg_database WHERE datname = current_database()", String.class))
                .isEqualTo("C");
    }
}
