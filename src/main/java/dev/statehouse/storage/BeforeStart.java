package dev.statehouse.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;


/**
 * A command's look at a SQLite file before the service's context (and its pool) exist — the hermes
 * import checks its source whole this way, so a refused file leaves nothing behind. Like every
 * resource connection it lives in this package and is always closed.
 */
public final class BeforeStart {

    private BeforeStart() {
    }

    /** A look at a file inside one read transaction ({@link #inspect}). */
    @FunctionalInterface
    public interface Inspection<T> {
        T inspect(Connection connection) throws SQLException;
    }

    /**
     * For a command, before the service's context (and its pool) exist: opens {@code file}
     * {@code mode=ro} in one read transaction, hands the connection to {@code inspection}, and closes
     * it. The process holds no lock on any database yet, so that close can drop none; the refusal of
     * the service's own database comes later, from {@code ResourceDatabases.readSnapshot}, once the settings are known.
     *
     * @throws SQLException with SQLITE_NOTADB for an empty or non-SQLite file, SQLITE_CANTOPEN when unreadable
     */
    public static <T> T inspect(Path file, int busyTimeoutMs, Inspection<T> inspection) throws SQLException {
        try (Connection c = SqliteFiles.openReadOnly(file, busyTimeoutMs)) {
            c.setAutoCommit(false);
            SqliteFiles.requirePages(c, file);
            try {
                return inspection.inspect(c);
            } finally {
                c.rollback();
            }
        }
    }
}
