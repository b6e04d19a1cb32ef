package dev.statehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.sqlite.SQLiteConfig;
import org.springframework.stereotype.Component;

/**
 * The one exception to "only the pool connects": short-lived connections to resource databases
 * and their snapshots. Each is opened and closed inside one call (try-with-resources); nothing
 * is kept between calls. Callers must not run two calls on the same file at once from this
 * process (the checkpoint service serialises per resource), since closing any descriptor on a
 * SQLite file drops every POSIX lock this process holds on it.
 */
@Component
public class ResourceDatabases {

    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final AtomicInteger open = new AtomicInteger();
    private final int busyTimeoutMs;

    public ResourceDatabases(@org.springframework.beans.factory.annotation.Value("${statehouse.storage.busy-timeout-ms:5000}") int busyTimeoutMs) {
        this.busyTimeoutMs = busyTimeoutMs;
    }

    /** Connections to resources or snapshots open right now (normally 0; at most one per call in flight). */
    public int openConnections() {
        return open.get();
    }

    /** Whether the file starts with the 16-byte SQLite header. Reads it with a channel it closes at once. */
    public boolean hasSqliteHeader(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(HEADER.length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading: a short read is not the end of the file
            }
            return !buffer.hasRemaining() && java.util.Arrays.equals(buffer.array(), HEADER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A consistent online snapshot of {@code source} into {@code target} with {@code VACUUM INTO}
     * (one read transaction: other processes keep writing). Written to a temporary name and moved
     * into place, so a crash never leaves a half snapshot under the final name.
     *
     * @return the snapshot's size in bytes
     */
    public long snapshot(Path source, Path target) throws SQLException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(tmp);
            try (Tracked c = connect(source, true);
                 PreparedStatement vacuum = c.connection().prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, tmp.toString());
                vacuum.execute();
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

    /**
     * Restores {@code snapshot} into the live database {@code target} in place with SQLite's
     * backup API: a write transaction on the target, so other connections — in this process or
     * others — see either the old or the new content, never a torn file.
     */
    public void restore(Path snapshot, Path target) throws SQLException {
        if (snapshot.toString().contains("'")) {
            throw new IllegalArgumentException("snapshot path must not contain quotes: " + snapshot);
        }
        try (Tracked c = connect(target, false);
             Statement s = c.connection().createStatement()) {
            s.executeUpdate("restore from '" + snapshot + "'");
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

    private Tracked connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(busyTimeoutMs);
        return new Tracked(config.createConnection("jdbc:sqlite:" + file));
    }
}
