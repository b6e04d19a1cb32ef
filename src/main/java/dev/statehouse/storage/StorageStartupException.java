package dev.statehouse.storage;

import java.nio.file.Path;

/**
 * The service will not start on this database: it is not a SQLite file, is corrupt, cannot be
 * written, or a configured directory would reach it; or a PostgreSQL server is too old, has the
 * wrong collation, too few connections, or is a standby. The message is one line naming the path and
 * the reason; {@link StorageStartupFailureAnalyzer} prints it without a stack trace.
 */
public class StorageStartupException extends RuntimeException {

    private final transient Path path;

    public StorageStartupException(Path path, String reason) {
        super("cannot start on " + path + ": " + reason);
        this.path = path;
    }

    /** On a database server: {@code where} names it (the JDBC url, no credentials). */
    public StorageStartupException(String where, String reason) {
        super("cannot start on " + where + ": " + reason);
        this.path = null;
    }

    public Path path() {
        return path;
    }
}
