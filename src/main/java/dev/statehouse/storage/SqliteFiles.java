package dev.statehouse.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;

/**
 * How a SQLite file that is not the service's database is opened and read: read-only, and what a
 * non-database file looks like (no pages). Used by the command-line checks before any context exists
 * ({@link BeforeStart}) and by {@link ResourceDatabases}. The caller closes what it opens, and never
 * opens the service's own database here (closing a descriptor on it would drop the process's locks).
 */
final class SqliteFiles {

    /** SQLite's result code for a file that is not a database. */
    static final int SQLITE_NOTADB = 26;

    private SqliteFiles() {
    }

    /**
     * {@code file} opened {@code mode=ro} (it can neither write the file nor remove its {@code -wal}/{@code -shm}):
     * how a snapshot of another database is opened, by {@link BeforeStart} and {@link ResourceDatabases#readSnapshot}.
     */
    static Connection openReadOnly(Path file, int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(busyTimeoutMs);
        return config.createConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
    }

    /** The file's page count; an empty file (0 pages) is no database: SQLITE_NOTADB. */
    static long requirePages(Connection c, Path file) throws SQLException {
        long pages = pages(c);
        if (pages <= 0) {
            throw new SQLException(file + " is empty, not a SQLite database", null, SQLITE_NOTADB);
        }
        return pages;
    }

    static long pages(Connection c) throws SQLException {
        return Long.parseLong(single(c, "PRAGMA page_count"));
    }

    /** The first column of the first row of {@code sql}, or null. */
    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
