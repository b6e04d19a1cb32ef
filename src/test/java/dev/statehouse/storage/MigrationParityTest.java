package dev.statehouse.storage;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's first step: {@code db/migration/postgresql} is a twin of {@code db/migration/sqlite} —
 * the same versions, the same tables with the same columns — and it applies on a real PostgreSQL
 * (18, from Maven Central binaries, C collation), triggers included.
 */
class MigrationParityTest {

    private static EmbeddedPostgres postgres;
    private static DataSource pg;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setLocaleConfig("locale", "C.UTF-8").start();
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE statehouse TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
        pg = postgres.getDatabase("postgres", "statehouse");
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<String> migrate(DataSource source, String engine) {
        Flyway flyway = Flyway.configure().dataSource(source).locations("classpath:db/migration/" + engine).load();
        assertThat(flyway.migrate().success).isTrue();
        return Arrays.stream(flyway.info().applied()).map(MigrationInfo::getScript).toList();
    }

    @Test
    void bothSetsHaveTheSameVersionsTablesAndColumns() throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + Files.createTempDirectory("statehouse-parity-").resolve("state.db"));
        List<String> sqliteScripts = migrate(sqlite, "sqlite");
        List<String> pgScripts = migrate(pg, "postgresql");
        assertThat(pgScripts).as("the same migrations, version by version").isEqualTo(sqliteScripts).hasSizeGreaterThanOrEqualTo(8);

        JdbcTemplate lite = new JdbcTemplate(sqlite);
        Map<String, TreeSet<String>> sqliteTables = new TreeMap<>();
        for (String table : lite.queryForList("SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name NOT IN ('flyway_schema_history', 'sqlite_sequence')", String.class)) {
            sqliteTables.put(table, new TreeSet<>(lite.queryForList("SELECT name FROM pragma_table_info(?)", String.class, table)));
        }
        JdbcTemplate post = new JdbcTemplate(pg);
        Map<String, TreeSet<String>> pgTables = new TreeMap<>();
        post.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name <> 'flyway_schema_history'", rs -> {
            pgTables.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
        });
        assertThat(pgTables).as("tables and their columns").isEqualTo(sqliteTables);
        assertThat(pgTables).containsKeys("sessions", "messages", "tasks", "task_events", "checkpoints", "data_versions");
    }

    @Test
    void thePostgresqlTriggersDoWhatTheSqliteOnesDoAndEventsCarryTheirTransaction() {
        migrate(pg, "postgresql");
        JdbcTemplate post = new JdbcTemplate(pg);
        DataVersions versions = new dev.statehouse.storage.postgres.PostgresDataVersions(post);
        String before = versions.current(DataVersions.Scope.SESSIONS);
        assertThat(versions.current(DataVersions.Scope.SESSIONS)).as("nothing committed: the same version").isEqualTo(before);
        post.update("INSERT INTO sessions(id, source, started_at, last_activity_at) VALUES ('outside', 'cli', 1, 1)");
        assertThat(post.queryForObject("SELECT lineage_root_id || '/' || lineage_tip_id FROM sessions WHERE id = 'outside'", String.class))
                .as("a session inserted without lineage heads its own chain").isEqualTo("outside/outside");
        post.update("INSERT INTO messages(session_id, role, timestamp) VALUES ('outside', 'user', 2)");
        assertThat(versions.current(DataVersions.Scope.SESSIONS)).as("a committed write moves the version").isNotEqualTo(before);
        assertThat(post.queryForObject("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'data_version%'", Integer.class))
                .as("no hot version row on PostgreSQL").isZero();
        assertThat(post.queryForObject("SELECT column_default FROM information_schema.columns"
                + " WHERE table_name = 'task_events' AND column_name = 'tx'", String.class))
                .as("events carry their writing transaction").contains("pg_current_xact_id()");
        assertThat(post.queryForObject("SELECT datcollate FROM pg_database WHERE datname = current_database()", String.class)).isEqualTo("C");
    }

    /** V11: keys of earlier imports ('hermes:<id>') become source 0's, and their sessions that source's, on both engines. */
    @Test
    void earlierImportKeysBecomeSourceZeros() throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + Files.createTempDirectory("statehouse-v11-").resolve("state.db"));
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE v11 TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
        for (Map.Entry<String, DataSource> engine : Map.of("sqlite", (DataSource) sqlite, "postgresql", postgres.getDatabase("postgres", "v11")).entrySet()) {
            Flyway.configure().dataSource(engine.getValue()).locations("classpath:db/migration/" + engine.getKey()).target("10").load().migrate();
            JdbcTemplate db = new JdbcTemplate(engine.getValue());
            db.update("INSERT INTO sessions(id, source, started_at, last_activity_at) VALUES ('imported', 'cli', 1, 1), ('api', 'cli', 1, 1)");
            db.update("INSERT INTO messages(session_id, role, timestamp, import_key, counted) VALUES ('imported', 'user', 2, 'hermes:7', 1),"
                    + " ('api', 'user', 2, NULL, 1)");
            migrate(engine.getValue(), engine.getKey());
            assertThat(db.queryForList("SELECT COALESCE(import_key, '-') FROM messages ORDER BY session_id", String.class))
                    .as(engine.getKey()).containsExactly("-", "hermes:0:7");
            assertThat(db.queryForList("SELECT id || '=' || COALESCE(import_source, '-') FROM sessions ORDER BY id", String.class))
                    .as(engine.getKey()).containsExactly("api=-", "imported=0");
        }
    }
}
