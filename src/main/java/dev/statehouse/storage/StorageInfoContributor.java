package dev.statehouse.storage;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} {@code storage}: the engine and its version, the journal mode, who owns the WAL. */
@Component
public class StorageInfoContributor implements InfoContributor {

    private final JdbcTemplate jdbc;
    private final StorageProperties props;
    /** Read once: neither the engine's version nor the journal mode changes while the service runs. */
    private volatile Map<String, Object> storage;

    private final Engine engine;

    public StorageInfoContributor(JdbcTemplate jdbc, StorageProperties props, Engine engine) {
        this.jdbc = jdbc;
        this.props = props;
        this.engine = engine;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = storage;
        if (details == null) {
            details = new LinkedHashMap<>();
            details.put("engine", engine.id());
            if (engine == Engine.POSTGRESQL) {
                details.put("version", jdbc.queryForObject("SHOW server_version", String.class));
                details.put("isolation", "read committed");
            } else {
                details.put("version", jdbc.queryForObject("SELECT sqlite_version()", String.class));
                details.put("journalMode", jdbc.queryForObject("PRAGMA journal_mode", String.class));
                details.put("externalReplication", props.externalReplication());
            }
            storage = java.util.Collections.unmodifiableMap(details);
        }
        builder.withDetail("storage", details);
    }
}
