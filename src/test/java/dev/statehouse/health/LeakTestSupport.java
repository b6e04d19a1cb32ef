package dev.statehouse.health;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A server of its own (own database file) for tests that really leak descriptors. The sampler
 * runs on demand ({@link FdSampler#sampleNow()}) so each test decides when a sample is taken;
 * the growth window and minimum span are seconds instead of minutes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
        "statehouse.auth.tokens.test.token=" + Http.TOKEN,
        "statehouse.auth.tokens.test.scopes=read,write,metrics",
        "statehouse.fd-leak.sample-interval=1h",
        "statehouse.fd-leak.window=60s",
        "statehouse.fd-leak.consecutive-samples=3",
        "statehouse.fd-leak.trend-min-span=1s",
        "statehouse.fd-leak.trend-min-increase=30",
        "statehouse.fd-leak.horizon=100000d",
        "statehouse.fd-leak.heal-max-wait=1500ms",
        "statehouse.storage.checkpoint-interval=300ms",
        "statehouse.storage.wal-truncate-threshold=256KB",
})
abstract class LeakTestSupport {

    static final Path DATA_DIR = ServerTestSupport.tempDir("statehouse-leak-");

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("state.db").toString());
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    FdSampler sampler;

    Http http;
    final List<AutoCloseable> leaked = new ArrayList<>();

    @BeforeEach
    void start() {
        http = new Http(port);
        sampler.resetHistory();
    }

    @AfterEach
    void closeLeaks() throws Exception {
        for (AutoCloseable c : leaked) {
            c.close();
        }
        leaked.clear();
        sampler.resetHistory();
        sampler.sampleNow();
    }

    /** A raw connection outside the pool that has read the database, so it holds main, -wal and -shm. */
    Connection leakConnection() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + DATA_DIR.resolve("state.db"));
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM sessions").close();
        }
        leaked.add(c);
        return c;
    }

    /** fdLeak as the liveness probe reports it (the full /actuator/health would also wait on the db check). */
    JsonNode fdLeak() {
        return http.get("/actuator/health/liveness").json().get("components").get("fdLeak");
    }

    int liveness() {
        return http.get("/actuator/health/liveness").status();
    }

    /** The liveness probe as Kubernetes polls it (anonymous: the lean path answers), its status and body. */
    String anonymousLiveness() {
        Http.Response r = new Http(port, null).get("/actuator/health/liveness");
        return r.status() + " " + r.raw().body();
    }

    String fdLeakStatus() {
        return fdLeak().get("status").asString();
    }
}
