package dev.statehouse.health.sqlite;

import java.util.List;
import java.util.Map;

import dev.statehouse.health.DatabaseConnections;
import dev.statehouse.health.FdKind;
import dev.statehouse.health.FdLeakProperties;
import dev.statehouse.health.FdScan;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Component;

/** SQLite: each live connection holds one {@code -wal} handle; there is no server to ask. */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteConnections implements DatabaseConnections {

    @Override
    public int count(FdScan scan) {
        return scan.count(FdKind.DB_WAL);
    }

    @Override
    public String counted() {
        return "-wal handles (live SQLite connections)";
    }

    @Override
    public Map<String, Object> serverRules(FdLeakProperties props, List<String> reasons, List<String> warnings) {
        return null;
    }
}
