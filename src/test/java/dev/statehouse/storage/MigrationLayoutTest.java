package dev.statehouse.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations moved to {@code db/migration/sqlite} (one folder per engine, issue 16) unchanged: a
 * database made by the previous release ({@code 066c919}, migrations V1–V7 from {@code db/migration})
 * still validates against them and takes V8, with its data intact.
 */
class MigrationLayoutTest {

    @Test
    void aDatabaseOfThePreviousReleaseValidatesAndMigratesFromTheEngineFolder() throws Exception {
        Path db = Files.createTempDirectory("statehouse-layout-").resolve("state.db");
        Files.copy(Path.of("src/test/resources/fixtures/state-066c919.db"), db);
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + db);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        assertThat(jdbc.queryForObject("SELECT MAX(version) FROM flyway_schema_history", String.class)).isEqualTo("7");

        Flyway flyway = Flyway.configure().dataSource(source).locations("classpath:db/migration/sqlite").load();
        assertThat(flyway.validateWithResult().validationSuccessful)
                .as("V1–V7 as applied by the previous release match the moved files (V8–V14 pending)").isFalse();
        MigrateResult result = flyway.migrate(); // validates V1–V7 first (validateOnMigrate)
        assertThat(result.migrationsExecuted).isEqualTo(7);
        assertThat(result.targetSchemaVersion).isEqualTo("14");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(jdbc.queryForObject("SELECT title FROM sessions WHERE id = 'fixture_session'", String.class)).isEqualTo("made by 066c919");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM messages", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT version FROM data_versions WHERE scope = 'sessions'", Long.class)).isPositive();
    }

    @Test
    void aMigrationThatChangedWouldBeRefused() throws Exception {
        Path db = Files.createTempDirectory("statehouse-layout-").resolve("state.db");
        Files.copy(Path.of("src/test/resources/fixtures/state-066c919.db"), db);
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + db);
        new JdbcTemplate(source).update("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '4'");
        Flyway flyway = Flyway.configure().dataSource(source).locations("classpath:db/migration/sqlite").load();
        org.assertj.core.api.Assertions.assertThatThrownBy(flyway::migrate).hasMessageContaining("checksum");
    }
}
