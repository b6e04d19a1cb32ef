package dev.statehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the service's SQLite database lives, and the names of its companion files.
 * Derived from the JDBC url ({@code jdbc:sqlite:PATH[?params]}).
 */
public record DatabaseLocation(Path file) {

    private static final String PREFIX = "jdbc:sqlite:";

    public static DatabaseLocation fromJdbcUrl(String url) {
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

    /** sqlite-jdbc does not create missing directories, so the service does it before the pool starts. */
    public void createParentDirectories() {
        Path parent = file.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create database directory " + parent, e);
            }
        }
    }

    public Path wal() {
        return Path.of(file + "-wal");
    }

    public Path shm() {
        return Path.of(file + "-shm");
    }

    public Path journal() {
        return Path.of(file + "-journal");
    }
}
