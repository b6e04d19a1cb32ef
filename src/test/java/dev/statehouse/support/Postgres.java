package dev.statehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One PostgreSQL server per test JVM (18, from Maven Central binaries: no Docker, no install), and
 * a fresh database per caller, created the way HELP.md tells operators to: C collation, UTF-8.
 */
public final class Postgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private Postgres() {
    }

    /** The server, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setLocaleConfig("locale", "C.UTF-8")
                        .setServerConfig("max_connections", "400")
                        .setServerConfig("fsync", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return server;
    }

    /** A new, empty database (C collation); returns its JDBC url. */
    public static String newDatabase(String prefix) {
        String name = (prefix + "_" + databases.incrementAndGet()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        new JdbcTemplate(server().getPostgresDatabase())
                .execute("CREATE DATABASE " + name + " TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'");
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
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
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser("postgres");
        ds.setPassword("postgres");
        return new JdbcTemplate(ds);
    }
}
