package dev.statehouse.support;

import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A second test server whose database runs with {@code journal_mode=DELETE} (a rollback journal
 * instead of a WAL), on a file of its own; its dispatcher ticks every 20 ms.
 */
public abstract class DeleteModeServer extends RunningServer {

    protected static final Path DATA_DIR = tempDir("statehouse-delete-");

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("state.db").toString());
        registry.add("statehouse.storage.journal-mode", () -> "DELETE");
        registry.add("statehouse.kanban.dispatcher-interval", () -> "20ms");
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
    }
}
