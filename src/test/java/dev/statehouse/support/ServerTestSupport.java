package dev.statehouse.support;

import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shared test server: WAL mode, default settings, a database file in a temporary directory.
 * Tests keep apart by unique ids, sources and board slugs.
 */
public abstract class ServerTestSupport extends RunningServer {

    protected static final Path DATA_DIR = tempDir("statehouse-test-");

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("db/state.db").toString());
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
        registry.add("statehouse.checkpoints.max-total-bytes", () -> "8MB");
    }
}
