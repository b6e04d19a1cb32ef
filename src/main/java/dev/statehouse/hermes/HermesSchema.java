package dev.statehouse.hermes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the source must be: a hermes {@code state.db} with a {@code schema_version} this code knows
 * and the {@code sessions} and {@code messages} columns it reads. Columns it does not know are
 * ignored; optional ones it knows but the file lacks read as NULL.
 */
record HermesSchema(int version, Set<String> sessionColumns, Set<String> messageColumns) {

    /** The versions whose tables this import was written against (see shared/design/hermes-state-db.md). */
    static final int OLDEST_KNOWN = 21;
    static final int NEWEST_KNOWN = 25;

    private static final List<String> REQUIRED_SESSION = List.of("id", "source", "started_at");
    private static final List<String> REQUIRED_MESSAGE = List.of("id", "session_id", "role", "timestamp");

    /** The file is not a hermes database this import can read; nothing was written. */
    static final class Refused extends RuntimeException {
        Refused(Path file, String why) {
            super(file + " " + why + "; nothing was imported");
        }
    }

    static HermesSchema of(Connection c, Path file) throws SQLException {
        Set<String> tables = names(c, "SELECT name FROM sqlite_schema WHERE type = 'table'");
        for (String t : List.of("schema_version", "sessions", "messages")) {
            if (!tables.contains(t)) {
                throw new Refused(file, "is not a hermes state.db (it has no '" + t + "' table)");
            }
        }
        int version;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new Refused(file, "is not a hermes state.db (its schema_version table has no version)");
        }
        if (version < OLDEST_KNOWN || version > NEWEST_KNOWN) {
            throw new Refused(file, "has hermes schema version " + version + "; this import knows versions "
                    + OLDEST_KNOWN + " to " + NEWEST_KNOWN);
        }
        Set<String> sessions = names(c, "SELECT name FROM pragma_table_info('sessions')");
        Set<String> messages = names(c, "SELECT name FROM pragma_table_info('messages')");
        require(file, "sessions", sessions, REQUIRED_SESSION);
        require(file, "messages", messages, REQUIRED_MESSAGE);
        return new HermesSchema(version, sessions, messages);
    }

    /** {@code column}, or {@code NULL AS column} where the file lacks it. */
    String session(String column) {
        return sessionColumns.contains(column) ? column : "NULL AS " + column;
    }

    String message(String column) {
        return messageColumns.contains(column) ? column : "NULL AS " + column;
    }

    /** {@code alias.column AS column}, or {@code NULL AS column} where the file's sessions lack it. */
    String session(String alias, String column) {
        return (sessionColumns.contains(column) ? alias + "." + column : "NULL") + " AS " + column;
    }

    String message(String alias, String column) {
        return (messageColumns.contains(column) ? alias + "." + column : "NULL") + " AS " + column;
    }

    private static void require(Path file, String table, Set<String> have, List<String> needed) {
        List<String> missing = needed.stream().filter(n -> !have.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new Refused(file, "is not a hermes state.db its import knows (" + table + " lacks "
                    + missing.stream().collect(Collectors.joining(", ")) + ")");
        }
    }

    private static Set<String> names(Connection c, String sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
