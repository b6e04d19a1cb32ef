package dev.statehouse.storage.postgres;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} {@code storage} on PostgreSQL: the engine, the server's version, the isolation level. */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresStorageInfo implements InfoContributor {

    private final JdbcTemplate jdbc;
    /** Read once, at the first request for it (an upgrade of the server shows after a restart of the pod). */
    private volatile Map<String, Object> storage;

    public PostgresStorageInfo(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = storage;
        if (details == null) {
            details = new LinkedHashMap<>();
            details.put("engine", "postgresql");
            details.put("version", jdbc.queryForObject("SHOW server_version", String.class));
            details.put("isolation", "read committed");
            storage = java.util.Collections.unmodifiableMap(details);
        }
        builder.withDetail("storage", details);
    }
}
