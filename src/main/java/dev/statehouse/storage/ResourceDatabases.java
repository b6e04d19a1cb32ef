package dev.statehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.springframework.stereotype.Component;

/**
 * The one exception to "only the pool connects": short-lived connections to resource databases
 * and their snapshots. Each is opened and closed inside one call (try-with-resources); nothing is
 * kept between calls.
 * <p>
 * Every file is opened through SQLite only, never with a Java stream or channel: SQLite shares one
 * record per inode among all connections of the process and holds back the close of a descriptor
 * while the process has locks on that inode, whereas closing any other descriptor on a database
 * file drops every POSIX lock the process holds on it. And before anything is opened, a file that
 * is the service's own database (same device and inode as {@code state.db}, {@code -wal},
 * {@code -shm} or {@code -journal}) is refused with {@link OwnDatabaseException}.
 * <p>
 * Callers must not run two calls on the same resource at once (the checkpoint service serialises
 * per resource).
 */
@Component
public class ResourceDatabases {

    /** SQLite's primary result codes, as {@link StorageErrors} reads them. */
    private static final int SQLITE_BUSY = 5;

    private final AtomicInteger open = new AtomicInteger();
    private final DatabaseLocation own;
    private final int busyTimeoutMs;
    private final Duration restoreTimeout;

    @org.springframework.beans.factory.annotation.Autowired
    public ResourceDatabases(DatabaseLocation own, StorageProperties props,
                             CheckpointStoreProperties checkpoints) {
        this(own, props.busyTimeoutMs(), checkpoints.restoreTimeout());
    }

    ResourceDatabases(DatabaseLocation own, int busyTimeoutMs, Duration restoreTimeout) {
        this.own = own;
        this.busyTimeoutMs = busyTimeoutMs;
        this.restoreTimeout = restoreTimeout;
    }

    /** A resource path that is the service's own database by another name. */
    public static final class OwnDatabaseException extends IllegalArgumentException {
        OwnDatabaseException(Path file) {
            super(file + " is the service's own database");
        }
    }

    /**
     * A consistent read-only view of another program's SQLite file, for as long as it is open: one
     * connection opened with {@code mode=ro} (it can neither write the file nor, as the last
     * connection, checkpoint or unlink its {@code -wal}/{@code -shm}) holding one read transaction,
     * so the other program keeps writing while every query here sees the same snapshot. Close it
     * promptly: while open it pins that file's WAL.
     */
    public final class ReadSnapshot implements AutoCloseable {
        private final Tracked tracked;

        private ReadSnapshot(Tracked tracked) {
            this.tracked = tracked;
        }

        public Connection connection() {
            return tracked.connection();
        }

        @Override
        public void close() throws SQLException {
            try {
                tracked.connection().rollback();
            } finally {
                tracked.close();
            }
        }
    }

    /** Opens {@code file} as a {@link ReadSnapshot}; refuses the service's own database. */
    public ReadSnapshot readSnapshot(Path file) throws SQLException {
        refuseOwnDatabase(file);
        Tracked tracked = new Tracked(SqliteFiles.openReadOnly(file, busyTimeoutMs));
        try {
            refuseOwnDatabase(file);
            tracked.connection().setAutoCommit(false);
            SqliteFiles.requirePages(tracked.connection(), file); // the first read starts the transaction: the snapshot is taken here
            return new ReadSnapshot(tracked);
        } catch (SQLException | RuntimeException e) {
            tracked.close();
            throw e;
        }
    }

    /** What a snapshot holds: its page count and the digest of its content (what a restore is checked against). */
    public record Snapshot(long pages, String digest) {
    }

    /** Connections to resources or snapshots open right now (normally 0; at most one per call in flight). */
    public int openConnections() {
        return open.get();
    }

    /** Throws {@link OwnDatabaseException} when {@code file} is one of the service's own database files. */
    public void refuseOwnDatabase(Path file) {
        if (own.isOwnFile(file)) {
            throw new OwnDatabaseException(file);
        }
    }

    /**
     * A consistent online snapshot of {@code source} into {@code target} with {@code VACUUM INTO}
     * (one read transaction: other processes keep writing). The copy is written under a temporary
     * name, must pass {@code integrity_check}, is synced to disk, and only then moved into place:
     * a snapshot that is not a complete, consistent copy never appears under the final name.
     *
     * @return the snapshot's size in bytes
     * @throws SQLException with SQLITE_NOTADB for an empty or non-SQLite file, SQLITE_BUSY when locked
     */
    public long snapshot(Path source, Path target) throws SQLException {
        refuseOwnDatabase(source);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(tmp);
            try (Tracked c = connect(source, true, busyTimeoutMs);
                 PreparedStatement vacuum = c.connection().prepareStatement("VACUUM INTO ?")) {
                refuseOwnDatabase(source); // again, now that SQLite has it open: no swap in between
                SqliteFiles.requirePages(c.connection(), source);
                vacuum.setString(1, tmp.toString());
                vacuum.execute();
            }
            try (Tracked copy = connect(tmp, true, busyTimeoutMs)) {
                String check = SqliteFiles.single(copy.connection(), "PRAGMA integrity_check");
                if (!"ok".equals(check)) {
                    throw new SQLException("snapshot of " + source + " failed its integrity check: " + check);
                }
                SqliteFiles.requirePages(copy.connection(), tmp);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true); // our own new file in the checkpoint store, never a database in use
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the startup reconcile removes leftovers
            }
        }
    }

    /** The snapshot's page count and content digest, read from the snapshot file. */
    public Snapshot describe(Path snapshot) throws SQLException {
        try (Tracked c = connect(snapshot, true, busyTimeoutMs)) {
            String check = SqliteFiles.single(c.connection(), "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new SQLException("snapshot " + snapshot + " is damaged: " + check, null, SqliteFiles.SQLITE_NOTADB);
            }
            return new Snapshot(SqliteFiles.requirePages(c.connection(), snapshot), ContentDigest.of(c.connection()));
        }
    }

    /**
     * Restores {@code snapshot} into the live database {@code target} in place with SQLite's backup
     * API (a write transaction on the target: other connections, here or in other processes, see the
     * old or the new content, never a torn file), and proves it: after each attempt the target's page
     * count and content digest must equal the snapshot's. sqlite-jdbc's restore reports success when
     * it gave up on SQLITE_BUSY, so an attempt is only trusted once verified. Attempts repeat until
     * {@code statehouse.checkpoints.restore-timeout}; then SQLITE_BUSY is thrown, and since the backup
     * commits all pages in one step or none, the target is as it was.
     */
    public void restore(Path snapshot, Snapshot expected, Path target) throws SQLException {
        refuseOwnDatabase(target);
        long deadline = System.nanoTime() + restoreTimeout.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try (Tracked c = connect(target, false, (int) Math.min(busyTimeoutMs, remainingMs))) {
                refuseOwnDatabase(target);
                SqliteFiles.requirePages(c.connection(), target);
                c.connection().unwrap(SQLiteConnection.class).getDatabase()
                        .restore("main", snapshot.toString(), null, 50, 0, -1);
                if (matches(c.connection(), expected)) {
                    return;
                }
            } catch (SQLException e) {
                if (!StorageErrors.isBusy(e)) {
                    throw e;
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new SQLException("restore of " + target + " not done after " + attempts + " attempt(s) in "
                        + restoreTimeout.toMillis() + " ms: another connection holds its lock", null, SQLITE_BUSY);
            }
            sleep(50);
        }
    }

    /** Reads the target's pages and digest in one read transaction. */
    private static boolean matches(Connection c, Snapshot expected) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long pages = SqliteFiles.pages(c);
            return pages == expected.pages() && ContentDigest.of(c).equals(expected.digest());
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /** {@code PRAGMA integrity_check} of a file that is not the service's database (a backup copy): "ok" or the first problem. */
    public String integrityCheck(Path file) throws SQLException {
        refuseOwnDatabase(file);
        try (Tracked copy = connect(file, true, busyTimeoutMs)) {
            return SqliteFiles.single(copy.connection(), "PRAGMA integrity_check");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connection counted in {@link #openConnections()} from open to close. */
    private final class Tracked implements AutoCloseable {
        private final Connection connection;

        Tracked(Connection connection) {
            this.connection = connection;
            open.incrementAndGet();
        }

        Connection connection() {
            return connection;
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.close();
            } finally {
                open.decrementAndGet();
            }
        }
    }

    private Tracked connect(Path file, boolean readOnly, int busyTimeout) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(busyTimeout);
        return new Tracked(config.createConnection("jdbc:sqlite:" + file));
    }
}
