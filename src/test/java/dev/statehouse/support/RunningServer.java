package dev.statehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import dev.statehouse.health.FdInspector;
import dev.statehouse.storage.DatabaseLocation;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A running server (random port) on a real database file; subclasses say which file and settings.
 * Every subclass with the same settings shares one Spring context, so one pool and one file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "statehouse.auth.tokens.test.token=" + Http.TOKEN,
        "statehouse.auth.tokens.test.scopes=read,write,metrics",
        "statehouse.auth.tokens.reader.token=" + Http.READ_TOKEN,
        "statehouse.auth.tokens.reader.scopes=read",
        "statehouse.auth.tokens.scraper.sha256=" + RunningServer.METRICS_TOKEN_SHA256,
        "statehouse.auth.tokens.scraper.scopes=metrics"})
public abstract class RunningServer {

    /** SHA-256 of {@link Http#METRICS_TOKEN}: that token is configured by its digest, as at rest. */
    public static final String METRICS_TOKEN_SHA256 = "9fbf9b08239c0205dfa5def834023fa4732fcf8acc6c59ce8878ab0f9238294d";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected DatabaseLocation database;

    protected Http http;

    @org.springframework.beans.factory.annotation.Value("${spring.datasource.url}")
    protected String datasourceUrl;

    @BeforeEach
    void openClient() {
        http = new Http(port);
    }

    public Http http() {
        return http;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public DatabaseLocation database() {
        return database;
    }

    /** A descriptor inspector for this server's database (resource roots are not told apart here). */
    public FdInspector fds() {
        return new FdInspector(database, List.of(), Clock.systemUTC());
    }

    /**
     * Runs {@code sql} in another OS process, straight in the database (the sqlite3 CLI on the file,
     * or psql on the server), as another program sharing the database would; fails unless it worked.
     */
    public void outsideWrite(String sql) throws Exception {
        ProcessBuilder process = database.isFile()
                ? new ProcessBuilder("sqlite3", database.file().toString(), ".timeout 5000", sql)
                : new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", datasourceUrl.replace("jdbc:", ""), "-U", "postgres", "-c", sql);
        process.environment().put("PGPASSWORD", "postgres");
        Process p = process.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("outside write failed: " + output);
        }
    }

    /** SQLite's integrity_check; on PostgreSQL (which checks its own pages) "ok". */
    public String integrityCheck() {
        return database.isFile() ? jdbc.queryForObject("PRAGMA integrity_check", String.class) : "ok";
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
