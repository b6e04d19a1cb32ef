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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running server on a real database file in a temporary directory. All subclasses share one
 * Spring context (and so one pool and one file); tests keep apart by unique ids and sources.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerTestSupport {

    protected static final Path DATA_DIR = tempDir("statehouse-test-");

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("db/state.db").toString());
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected DatabaseLocation database;

    protected Http http;

    @BeforeEach
    void openClient() {
        http = new Http(port);
    }

    protected FdInspector fds() {
        return new FdInspector(database, List.of(DATA_DIR.resolve("resources"), DATA_DIR.resolve("checkpoints")), Clock.systemUTC());
    }

    protected static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    protected long count(String table) {
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
