package dev.statehouse.sessions;

import dev.statehouse.health.FdKind;
import dev.statehouse.health.FdSampler;
import dev.statehouse.health.FdScan;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays the web UI against the running server on a real file: 2,000 sidebar and project polls
 * with message reads, and a create and a delete now and then. The process's descriptors on
 * state.db, -wal and -shm, and its total, must not grow.
 */
@EnabledOnOs(OS.LINUX)
class WebUiPollingTest extends ServerTestSupport {

    @Autowired
    FdSampler sampler;

    private int round(String source, String session, int i) {
        int failures = 0;
        failures += ok(http.get("/api/sessions?limit=50"));
        failures += ok(http.get("/api/projects"));
        failures += ok(http.get("/api/sessions?source=" + source + "&limit=20"));
        failures += ok(http.get("/api/sessions/" + session + "/messages?limit=50"));
        if (i % 50 == 0) {
            String id = "poll_" + source + "_" + i;
            failures += http.post("/api/sessions", map("id", id, "source", source, "parent_session_id", session)).status() == 201 ? 0 : 1;
            failures += http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", "hello " + i)).status() == 201 ? 0 : 1;
            failures += http.delete("/api/sessions/" + id).status() == 204 ? 0 : 1;
        }
        return failures;
    }

    private String fdLeakDetail(String name) {
        return http.get("/actuator/health/liveness").json().get("components").get("fdLeak").get("details").get(name).asString();
    }

    private static int ok(Http.Response r) {
        return r.status() == 200 ? 0 : 1;
    }

    @Test
    void twoThousandPollsLeaveTheDescriptorTableAsItWas() {
        String source = unique("ui");
        String session = unique("s");
        assertThat(http.post("/api/projects", map("name", "Polling")).status()).isEqualTo(201);
        assertThat(http.post("/api/sessions", map("id", session, "source", source, "title", "Polled")).status()).isEqualTo(201);
        for (int i = 0; i < 30; i++) {
            http.post("/api/sessions/" + session + "/messages", map("role", i % 2 == 0 ? "user" : "assistant", "content", "m" + i));
        }
        // warm up: the same mix, so lazily opened jars, sockets and pool connections are in place
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            failures += round(source, session, i);
        }
        FdScan before = fds().scan();
        String sampledBefore = fdLeakDetail("sampledAt");
        for (int i = 0; i < 2000; i++) {
            failures += round(source, session, i);
        }
        FdScan after = fds().scan();

        assertThat(failures).isZero();
        assertThat(before.procAvailable()).isTrue();
        assertThat(after.count(FdKind.DB_MAIN)).as("state.db handles").isLessThanOrEqualTo(before.count(FdKind.DB_MAIN));
        assertThat(after.count(FdKind.DB_WAL)).as("state.db-wal handles").isLessThanOrEqualTo(before.count(FdKind.DB_WAL));
        assertThat(after.count(FdKind.DB_SHM)).as("state.db-shm handles").isLessThanOrEqualTo(before.count(FdKind.DB_SHM));
        assertThat(after.open()).as("total descriptors (before: %s, after: %s)", before.byKind(), after.byKind())
                .isLessThanOrEqualTo(before.open());
        assertThat(after.deleted()).isEmpty();
        // the leak detector watched the whole run (its own scheduled samples) and never fired
        sampler.sampleNow();
        Http.Response liveness = http.get("/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.raw().body()).isEqualTo(200);
        JsonNode fdLeak = liveness.json().get("components").get("fdLeak");
        assertThat(fdLeak.get("status").asString()).isEqualTo("UP");
        assertThat(fdLeak.get("details").get("reasons").isEmpty()).isTrue();
        assertThat(fdLeak.get("details").get("sampledAt").asString()).isNotEqualTo(sampledBefore);
        // the pool's connections are all there is: one -wal handle per pooled connection at most
        assertThat(after.count(FdKind.DB_WAL)).isBetween(1, 8);
        assertThat(after.count(FdKind.DB_SHM)).isEqualTo(1);
    }
}
