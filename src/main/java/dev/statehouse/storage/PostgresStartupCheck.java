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
 * <li>the database's collation is C (libc C, C.UTF-8 or POSIX; builtin C or C.UTF-8; never ICU):
 * ids sort byte-wise, as on SQLite, so cursors and claim order mean the same on both engines;</li>
 * <li>the pool holds at least two connections (the schema migration at start takes two);</li>
 * <li>{@code max_connections} (less the superuser reserve) can hold this pod's pool: a smaller
 * server would refuse connections under load. Every replica needs its own pool:
 * {@code replicas × (pool + 1) ≤ max_connections} is the operator's sum (HELP.md);</li>
 * <li>the server accepts writes (not a standby in recovery).</li>
 * </ol>
 */
final class PostgresStartupCheck {

    static final int MIN_VERSION_NUM = 150000;
    private static final Set<String> BYTEWISE = Set.of("C", "POSIX", "C.UTF-8", "C.utf8", "C.UTF8", "ucs_basic");
    private static final Set<String> BUILTIN_BYTEWISE = Set.of("C", "C.UTF-8");

    private PostgresStartupCheck() {
    }

    static void verify(Connection connection, int poolMax, String where) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int version = intOf(s, "SELECT current_setting('server_version_num')::int");
            if (version < MIN_VERSION_NUM) {
                throw new StorageStartupException(where, "PostgreSQL " + version / 10000 + " is too old: 15 or later is needed");
            }
            String collation = nonBytewiseCollation(s);
            if (collation != null) {
                throw new StorageStartupException(where, "the database's collation is " + collation + ", not C: ids would sort "
                        + "differently from SQLite. Create it with CREATE DATABASE … TEMPLATE template0 LOCALE_PROVIDER libc LOCALE 'C.UTF-8'");
            }
            if (poolMax < 2) {
                throw new StorageStartupException(where, "spring.datasource.hikari.maximum-pool-size is " + poolMax + ": the schema "
                        + "migration at start holds two connections (its lock and its work); set at least 2");
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

    /**
     * The database's default collation when it does not sort byte-wise; null when it does. The provider
     * decides: an ICU database still shows a libc {@code datcollate} (often C) but sorts by its ICU
     * locale; the builtin provider (17+) sorts by code point for C and C.UTF-8. Column names differ
     * by version ({@code daticulocale} up to 16, {@code datlocale} from 17), hence the JSON view.
     */
    private static String nonBytewiseCollation(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT datlocprovider, datcollate,"
                + " coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') FROM pg_database d"
                + " WHERE datname = current_database()")) {
            rs.next();
            String provider = rs.getString(1);
            String collate = rs.getString(2);
            String locale = rs.getString(3);
            return switch (provider) {
                case "c" -> BYTEWISE.contains(collate) ? null : collate;
                case "b" -> BUILTIN_BYTEWISE.contains(locale) ? null : "builtin " + locale;
                case "i" -> "ICU " + locale;
                default -> "of provider " + provider;
            };
        }
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
