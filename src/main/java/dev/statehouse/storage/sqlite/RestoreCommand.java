package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.statehouse.storage.StorageErrors;
import org.sqlite.SQLiteConfig;

/**
 * {@code java -jar statehouse.jar restore BACKUP [--statehouse.storage.path=PATH]} (parsed by
 * {@code dev.statehouse.StatehouseCommand}): puts a backup
 * (from {@link Backups}, or any Statehouse database file) in place of the database, with the
 * service stopped. The backup must pass {@code integrity_check} and hold Statehouse's schema; no
 * process may have the database open (checked by readlink over {@code /proc/*}/fd); the copy is
 * fsynced under a temporary name, the old {@code -wal}/{@code -shm} are removed (they belong to the
 * old file) and the copy is renamed over the database. Exit 0 restored, 2 refused (bad backup,
 * database in use), 1 failed.
 */
public final class RestoreCommand {

    private RestoreCommand() {
    }

    /**
     * Restores {@code backupFile} over the database {@code settings} name ({@code --statehouse.storage.path=PATH},
     * else {@code STATEHOUSE_STORAGE_PATH}, else {@code ./data/state.db}); returns the exit code.
     */
    public static int run(Path backupFile, String[] settings, PrintStream out, PrintStream err) {
        Path backup = backupFile.toAbsolutePath().normalize();
        Path target = databasePath(settings);
        try {
            if (!Files.isRegularFile(backup)) {
                err.println("restore refused: " + backup + " is not a file");
                return 2;
            }
            String problem = check(backup);
            if (problem != null) {
                err.println("restore refused: " + backup + " " + problem);
                return 2;
            }
            List<Long> users = processesUsing(target);
            if (!users.isEmpty()) {
                err.println("restore refused: " + target + " is open in process " + users + " (stop the service first)");
                return 2;
            }
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".restore-tmp");
            Files.copy(backup, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            for (String suffix : List.of("-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(target + suffix));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
            out.println("restored " + target + " from " + backup + " (" + Files.size(target) + " bytes); start the service on it");
            return 0;
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("restore failed: " + e.getMessage());
            return 1;
        }
    }

    /** Why {@code backup} cannot be restored, or null. Opened read-only by this short-lived process. */
    static String check(Path backup) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:file:" + backup + "?mode=ro");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    return "fails its integrity check: " + result;
                }
            }
            return notStatehouse(s);
        } catch (SQLException e) {
            if (StorageErrors.isNotADatabase(e)) {
                return "is not a SQLite database";
            }
            throw e;
        }
    }

    /** "is not a Statehouse database" unless the database behind {@code s} holds Statehouse's schema; else null. */
    static String notStatehouse(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                + " AND name IN ('flyway_schema_history', 'sessions', 'tasks')")) {
            return rs.next() && rs.getInt(1) == 3 ? null : "is not a Statehouse database";
        } catch (SQLException e) {
            if (StorageErrors.isNotADatabase(e)) {
                return "is not a SQLite database";
            }
            throw e;
        }
    }

    /** Processes (other than this one) with the database or its -wal/-shm open, found by readlink only. */
    static List<Long> processesUsing(Path database) throws IOException {
        List<Path> files = List.of(database, Path.of(database + "-wal"), Path.of(database + "-shm"));
        List<Long> pids = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                    for (Path fd : fds.toList()) {
                        try {
                            Path target = Files.readSymbolicLink(fd);
                            if (files.contains(target)) {
                                pids.add(pid);
                                break;
                            }
                        } catch (IOException gone) {
                            // the descriptor closed meanwhile
                        }
                    }
                } catch (IOException notOurs) {
                    // a process we may not inspect, or one that ended
                }
            }
        }
        return pids;
    }

    /** The database {@code args} name: {@code --statehouse.storage.path=PATH}, else {@code STATEHOUSE_STORAGE_PATH}, else {@code ./data/state.db}. */
    static Path databasePath(String[] args) {
        return Path.of(storagePath(args)).toAbsolutePath().normalize();
    }

    private static String storagePath(String[] args) {
        for (String a : args) {
            if (a.startsWith("--statehouse.storage.path=")) {
                return a.substring("--statehouse.storage.path=".length());
            }
        }
        String env = System.getenv("STATEHOUSE_STORAGE_PATH");
        return env != null && !env.isBlank() ? env : "./data/state.db";
    }
}
