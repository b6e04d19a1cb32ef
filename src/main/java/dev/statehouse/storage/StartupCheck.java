package dev.statehouse.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * What the service checks before it lets anything (Flyway first) touch its database, each failure a
 * {@link StorageStartupException} naming the file and the reason:
 * <ol>
 * <li>before a connection exists: an existing zero-length file is refused, never initialised (the
 * operator did not ask for a new database there); a missing file is created;</li>
 * <li>through the pool's first connection: the file must be SQLite ({@code SQLITE_NOTADB} otherwise),
 * pass {@code PRAGMA quick_check}, and take a committed write ({@code user_version} set to itself).</li>
 * <li>a new database (no table yet) is switched to {@code auto_vacuum=INCREMENTAL} before Flyway creates
 * anything, so that retention can give the space of pruned rows back to the file system; an older
 * database keeps its mode until the operator runs {@code statehouse vacuum} once.</li>
 * </ol>
 */
final class StartupCheck {

    private StartupCheck() {
    }

    static void beforeOpen(DatabaseLocation location) {
        Path file = location.file();
        try {
            if (Files.exists(file) && Files.size(file) == 0) {
                throw new StorageStartupException(file, "the file is empty (0 bytes); Statehouse does not initialise a file it did not create. "
                        + "Delete it to start with a new database");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new StorageStartupException(file, "not a regular file");
            }
        } catch (IOException e) {
            throw new StorageStartupException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static boolean isEmpty(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            return rs.next() && rs.getInt(1) == 0;
        }
    }

    static void verify(DataSource pool, DatabaseLocation location, boolean quickCheck) {
        Path file = location.file();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA schema_version")) {
                rs.next();
            }
            if (isEmpty(s)) {
                s.execute("PRAGMA auto_vacuum = INCREMENTAL");
                s.execute("VACUUM"); // the mode takes effect on a file that has pages already (the WAL header) only by a VACUUM
            }
            if (quickCheck) {
                StringBuilder problems = new StringBuilder();
                try (ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
                    while (rs.next()) {
                        problems.append(problems.isEmpty() ? "" : "; ").append(rs.getString(1));
                    }
                }
                if (!problems.toString().equals("ok")) {
                    throw new StorageStartupException(file, "corrupt: quick_check says " + problems);
                }
            }
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                rs.next();
                version = rs.getInt(1);
            }
            s.execute("PRAGMA user_version = " + version);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof StorageStartupException startup) {
                throw startup;
            }
            StorageErrors.StorageFault fault = StorageErrors.fault(e);
            String reason = fault == null ? "cannot be opened: " + StorageErrors.rootMessage(e) : switch (fault) {
                case CORRUPT -> "not a SQLite database, or corrupt: " + StorageErrors.rootMessage(e);
                case READ_ONLY -> "cannot be written (read-only file or mount): " + StorageErrors.rootMessage(e);
                case DISK_FULL -> "no space left to write it: " + StorageErrors.rootMessage(e);
                case IO_ERROR -> "I/O error: " + StorageErrors.rootMessage(e);
            };
            throw new StorageStartupException(file, reason);
        }
    }
}
