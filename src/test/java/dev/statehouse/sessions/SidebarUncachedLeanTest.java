package dev.statehouse.sessions;

import java.nio.file.Path;

import dev.statehouse.support.RunningServer;
import dev.statehouse.support.SidebarLeanPages;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 30, with the sidebar cache off ({@code statehouse.sessions.sidebar-cache-ttl=0}): every
 * request reads the version and makes its page, and the lean path still answers the usual polls, the
 * same bytes and headers as the long way. A server of its own, on a database file of its own.
 */
@TestPropertySource(properties = "statehouse.sessions.sidebar-cache-ttl=0")
@DirtiesContext
class SidebarUncachedLeanTest extends RunningServer {

    private static final Path DATA_DIR = tempDir("statehouse-uncached-");

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("state.db").toString());
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
    }

    @Autowired
    MeterRegistry registry;

    @Autowired
    SidebarCache cache;

    @Test
    void theUsualPollsAreMadeOnTheLeanPathWithTheCacheOff() {
        org.assertj.core.api.Assertions.assertThat(cache.enabled()).isFalse();
        SidebarLeanPages.makesPagesAsTheControllerDoes(http, registry, unique("uncached"));
    }
}
