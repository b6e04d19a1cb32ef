package dev.statehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Where the service's SQLite database lives, and the names of its companion files.
 * Derived from the JDBC url ({@code jdbc:sqlite:PATH[?params]}). On PostgreSQL the service has no
 * database file of its own: {@link #file()} is null, no path is its own and no directory contains it.
 */
public record DatabaseLocation(Path file, List<Integer> serverPorts) {

    private static final String PREFIX = "jdbc:sqlite:";

    /** A SQLite file. */
    public DatabaseLocation(Path file) {
        this(file, List.of());
    }

    /** The database file of a {@code jdbc:sqlite:} url (SQLite's configuration builds it). */
    public static DatabaseLocation ofSqliteUrl(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("spring.datasource.url must be a jdbc:sqlite: url, was " + url);
        }
        String path = url.substring(PREFIX.length());
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.equals(":memory:") || path.contains("mode=memory")) {
            throw new IllegalArgumentException("Statehouse needs a database file, not " + url);
        }
        return new DatabaseLocation(Path.of(path).toAbsolutePath().normalize());
    }

    /** No file of its own, and the server ports of a {@code jdbc:postgresql:} url (PostgreSQL's configuration builds it). */
    public static DatabaseLocation ofPostgresUrl(String url) {
        return new DatabaseLocation(null, postgresPorts(url));
    }

    /**
     * The server ports of a PostgreSQL url ({@code jdbc:postgresql://h1:p1,h2:p2/db}, 5432 where
     * none is given): the fdLeak indicator counts this process's connections to them.
     */
    static List<Integer> postgresPorts(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) {
            return List.of(5432);
        }
        String hosts = rest.substring(2).split("[/?]", 2)[0];
        List<Integer> ports = new java.util.ArrayList<>();
        for (String host : hosts.split(",")) {
            int colon = host.lastIndexOf(':');
            int bracket = host.lastIndexOf(']');
            ports.add(colon > bracket && colon >= 0 ? Integer.parseInt(host.substring(colon + 1)) : 5432);
        }
        return List.copyOf(ports);
    }

    /** sqlite-jdbc does not create missing directories, so the service does it before the pool starts. */
    public void createParentDirectories() {
        Path parent = file == null ? null : file.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create database directory " + parent, e);
            }
        }
    }

    /** True for a SQLite file, false on a database server. */
    public boolean isFile() {
        return file != null;
    }

    public Path wal() {
        return file == null ? null : Path.of(file + "-wal");
    }

    public Path shm() {
        return file == null ? null : Path.of(file + "-shm");
    }

    public Path journal() {
        return file == null ? null : Path.of(file + "-journal");
    }

    /** The database file and its companions, whether or not each exists right now (none on a server). */
    public List<Path> files() {
        return file == null ? List.of() : List.of(file, wal(), shm(), journal());
    }

    /**
     * Whether {@code candidate} is one of this database's files by device and inode, so a hard
     * link, a bind mount or any other name of {@code state.db}, {@code -wal}, {@code -shm} or
     * {@code -journal} counts. Uses {@code stat} only and opens nothing: closing a descriptor on
     * the database would drop every POSIX lock this process holds on it.
     */
    public boolean isOwnFile(Path candidate) {
        Object key = fileKey(candidate);
        if (key == null) {
            return false;
        }
        for (Path own : files()) {
            if (key.equals(fileKey(own))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses, at start, a directory that holds the database at any depth ({@code what} names the
     * setting): a resources root there would offer the live database as a resource, and a
     * checkpoint store there would treat it as an orphan snapshot.
     */
    public void refuseDirectoryContaining(Path directory, String what) {
        if (file == null) {
            return;
        }
        Path dir = realOrNormal(directory);
        Path db = realOrNormal(file.getParent()).resolve(file.getFileName());
        if (db.startsWith(dir)) {
            throw new StorageStartupException(file, what + " " + dir + " contains the service's own database; "
                    + "point it at a directory of its own");
        }
    }

    private static Path realOrNormal(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** Device and inode from {@code stat}; null when the file does not exist or cannot be read. */
    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
