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

    public StorageInfoContributor(JdbcTemplate jdbc, StorageProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("engine", "sqlite");
        storage.put("version", jdbc.queryForObject("SELECT sqlite_version()", String.class));
        storage.put("journalMode", jdbc.queryForObject("PRAGMA journal_mode", String.class));
        storage.put("externalReplication", props.externalReplication());
        builder.withDetail("storage", storage);
    }
}
