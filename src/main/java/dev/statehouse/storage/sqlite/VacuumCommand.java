package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.sqlite.SQLiteConfig;

/**
 * {@code java -jar statehouse.jar vacuum [--statehouse.storage.path=PATH]} (parsed by
 * {@code dev.statehouse.StatehouseCommand}), with the service stopped: rewrites the database once
 * ({@code VACUUM}) in {@code auto_vacuum=INCREMENTAL} mode, so that a database created before the
 * service set that mode gives back the space retention frees from then on, and the space already
 * free now. Needs free disk about the database's size while it runs. Refused (exit 2, nothing
 * changed) while any process has the database open (readlink over {@code /proc/*}/fd) or when the
 * file is missing or not SQLite; exit 1 when it failed (the database is unchanged: VACUUM is one
 * transaction).
 */
public final class VacuumCommand {

    private VacuumCommand() {
    }

    /** Vacuums the database {@code settings} name (as {@link RestoreCommand} reads it); the exit code. */
    public static int run(String[] settings, PrintStream out, PrintStream err) {
        Path target = RestoreCommand.databasePath(settings);
        try {
            if (!Files.isRegularFile(target)) {
                err.println("vacuum refused: " + target + " is not a file");
                return 2;
            }
            List<Long> users = RestoreCommand.processesUsing(target);
            if (!users.isEmpty()) {
                err.println("vacuum refused: " + target + " is open in process " + users + " (stop the service first)");
                return 2;
            }
            long before = sizeWithWal(target);
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(5000);
            try (Connection c = config.createConnection("jdbc:sqlite:" + target); Statement s = c.createStatement()) {
                String problem = RestoreCommand.notStatehouse(s);
                if (problem != null) {
                    err.println("vacuum refused: " + target + " " + problem);
                    return 2;
                }
                int mode = intPragma(s, "auto_vacuum");
                long free = intPragma(s, "freelist_count") * (long) intPragma(s, "page_size");
                s.execute("PRAGMA auto_vacuum = INCREMENTAL");
                s.execute("VACUUM");
                try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    rs.next();
                }
                out.println("vacuumed " + target + ": " + before + " -> " + sizeWithWal(target) + " bytes (" + free + " were free), auto_vacuum "
                        + (mode == 2 ? "was already" : "is now") + " incremental; start the service on it");
                return 0;
            }
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("vacuum failed: " + e.getMessage());
            return 1;
        }
    }

    private static long sizeWithWal(Path db) throws IOException {
        Path wal = Path.of(db + "-wal");
        return Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    private static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
