package dev.statehouse.storage.sqlite;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.DataVersions;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * SQLite: the {@code data_versions} table, bumped by triggers on every write to the scope's tables,
 * from this process or any other (migration V8); one primary-key read. The epoch is a random value
 * drawn at start: a restore, or any file put in place of the database, needs the service stopped,
 * and the next start draws anew. A read may be reused briefly: other processes write to the file
 * rarely, and this process hears its own commits.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteDataVersions implements DataVersions {

    private final JdbcTemplate jdbc;
    /** This process's epoch, drawn at start. */
    private final String epoch = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);

    public SqliteDataVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String current(Scope scope) {
        Long version = jdbc.queryForObject("SELECT version FROM data_versions WHERE scope = ?", Long.class, scope.key());
        return epoch + "." + (version == null ? 0 : version);
    }

    @Override
    public boolean reusable() {
        return true;
    }
}
