package dev.statehouse.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One PostgreSQL server per test JVM, and a fresh database per caller, created the way HELP.md
 * tells operators to: C collation, UTF-8. Which server: by default PostgreSQL 18 from Maven Central
 * binaries (no Docker, no install); with {@code -Dstatehouse.test.postgres.bin=DIR} the server
 * installed in DIR (the build's {@code postgresql-15} execution runs every {@code *PostgresTest}
 * again on Debian's {@code /usr/lib/postgresql/15/bin}).
 */
public final class Postgres {

    /** Where installed binaries are taken from instead of the embedded ones; unset: embedded 18. */
    public static final String BIN_PROPERTY = "statehouse.test.postgres.bin";

    private static int port;
    private static Closeable server;
    private static final AtomicInteger databases = new AtomicInteger();

    private Postgres() {
    }

    /** The server's port on loopback; the server starts on first use and stops when the JVM exits. */
    public static synchronized int port() {
        if (server == null) {
            try {
                String bin = System.getProperty(BIN_PROPERTY, "");
                if (bin.isBlank()) {
                    EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                            .setLocaleConfig("locale", "C.UTF-8")
                            .setServerConfig("max_connections", "400")
                            .setServerConfig("fsync", "off")
                            .start();
                    port = embedded.getPort();
                    server = embedded;
                } else {
                    InstalledPostgres installed = InstalledPostgres.start(Path.of(bin));
                    port = installed.port();
                    server = installed;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL for the tests", e);
            }
            Closeable started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return port;
    }

    /** A new, empty database (C collation); returns its JDBC url. */
    public static String newDatabase(String prefix) {
        String name = (prefix + "_" + databases.incrementAndGet()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        jdbc(url("postgres")).execute("CREATE DATABASE " + name + " TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
        return url(name);
    }

    /** Points a Spring test context at a fresh database of its own. */
    public static String register(DynamicPropertyRegistry registry, String prefix) {
        String url = newDatabase(prefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        return url;
    }

    /** A data source on {@code url} outside any pool (tests only: a second process's view). */
    public static JdbcTemplate jdbc(String url) {
        return new JdbcTemplate(dataSource(url));
    }

    /** A connection of its own on {@code url}, outside any pool (another replica's session); the caller closes it. */
    public static Connection connect(String url) throws SQLException {
        return dataSource(url).getConnection();
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser("postgres");
        ds.setPassword("postgres");
        return ds;
    }

    /** The JDBC url of {@code database} on the test server. */
    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }
}
