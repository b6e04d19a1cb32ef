package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * What the service checks on a PostgreSQL server before anything (Flyway first) uses it, each
 * failure a {@link StorageStartupException} with the reason in one line:
 * <ol>
 * <li>server version 15 or later;</li>
 * <li>the database's collation is C (or C.UTF-8, POSIX): ids sort byte-wise, as on SQLite, so
 * cursors and claim order mean the same on both engines;</li>
 * <li>{@code max_connections} (less the superuser reserve) can hold this pod's pool: a smaller
 * server would refuse connections under load. Every replica needs its own pool:
 * {@code replicas × (pool + 1) ≤ max_connections} is the operator's sum (HELP.md);</li>
 * <li>the server accepts writes (not a standby in recovery).</li>
 * </ol>
 */
final class PostgresStartupCheck {

    static final int MIN_VERSION_NUM = 150000;
    private static final Set<String> BYTEWISE = Set.of("C", "POSIX", "C.UTF-8", "C.utf8", "C.UTF8", "ucs_basic");

    private PostgresStartupCheck() {
    }

    static void verify(Connection connection, int poolMax, String where) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int version = intOf(s, "SELECT current_setting('server_version_num')::int");
            if (version < MIN_VERSION_NUM) {
                throw new StorageStartupException(where, "PostgreSQL " + version / 10000 + " is too old: 15 or later is needed");
            }
            String collation = stringOf(s, "SELECT datcollate FROM pg_database WHERE datname = current_database()");
            if (!BYTEWISE.contains(collation)) {
                throw new StorageStartupException(where, "the database's collation is " + collation + ", not C: ids would sort "
                        + "differently from SQLite. Create it with CREATE DATABASE … TEMPLATE template0 LOCALE 'C.UTF-8'");
            }
            int max = intOf(s, "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int");
            if (max < poolMax + 1) {
                throw new StorageStartupException(where, "max_connections allows " + max + " connections (less the superuser "
                        + "reserve): a pool of " + poolMax + " does not fit. Raise max_connections or lower "
                        + "spring.datasource.hikari.maximum-pool-size");
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new StorageStartupException(where, "the server is a standby in recovery: it cannot be written. "
                            + "Point spring.datasource.url at the primary");
                }
            }
        }
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String stringOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
