package dev.statehouse.storage.sqlite;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.StorageProperties;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} {@code storage} on SQLite: the engine and its version, the journal mode, who owns the WAL. */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteStorageInfo implements InfoContributor {

    private final JdbcTemplate jdbc;
    private final StorageProperties props;
    /** Read once: neither the version nor the journal mode changes while the service runs. */
    private volatile Map<String, Object> storage;

    public SqliteStorageInfo(JdbcTemplate jdbc, StorageProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = storage;
        if (details == null) {
            details = new LinkedHashMap<>();
            details.put("engine", "sqlite");
            details.put("version", jdbc.queryForObject("SELECT sqlite_version()", String.class));
            details.put("journalMode", jdbc.queryForObject("PRAGMA journal_mode", String.class));
            details.put("externalReplication", props.externalReplication());
            storage = java.util.Collections.unmodifiableMap(details);
        }
        builder.withDetail("storage", details);
    }
}
