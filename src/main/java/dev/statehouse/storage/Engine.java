package dev.statehouse.storage;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * The database engine behind the pool, read from {@code spring.datasource.url} the way Spring Boot
 * reads it ({@link DatabaseDriver}, the same id Flyway's {@code {vendor}} location uses). SQLite is
 * the embedded default; PostgreSQL is for N replicas. Any other URL is refused at start.
 */
public enum Engine {
    /** One file, one process: the write turn, group commit, the statement cache, WAL maintenance. */
    SQLITE("sqlite"),
    /** A server shared by N replicas: a plain pool at READ COMMITTED, row locks and advisory locks. */
    POSTGRESQL("postgresql");

    private final String id;

    Engine(String id) {
        this.id = id;
    }

    /** The engine's id as Boot and Flyway name it ({@code sqlite}, {@code postgresql}). */
    public String id() {
        return id;
    }

    public static Engine fromJdbcUrl(String url) {
        DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
        if (driver == DatabaseDriver.SQLITE) {
            return SQLITE;
        }
        if (driver == DatabaseDriver.POSTGRESQL) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("spring.datasource.url must be a jdbc:sqlite: or jdbc:postgresql: url, was " + url);
    }
}
