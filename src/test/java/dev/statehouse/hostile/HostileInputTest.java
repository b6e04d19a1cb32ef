package dev.statehouse.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.statehouse.health.FdScan;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile input, table-driven, on every writing endpoint and every list parameter: each case is a
 * 4xx problem+json and writes nothing. SQL-injection text in free-text fields is not an error: it
 * is stored verbatim and harms nothing. Descriptors are the same at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest extends ServerTestSupport {

    static final String S = "hostile_session";
    static final String P = "hostile_project";
    static final String B = "hostile-board";
    static final String PLAN = "hostile_plan";
    static final String[] TABLES = {"sessions", "messages", "projects", "boards", "tasks", "task_runs", "task_events",
            "task_comments", "task_links", "plans", "checkpoints"};
    static final List<String> INJECTIONS = List.of("' OR '1'='1", "'; DROP TABLE sessions; --", "\" OR 1=1 --",
            "1; DELETE FROM tasks", "x') UNION SELECT claim_lock FROM tasks --", "%' AND 1=0 UNION SELECT sqlite_version() --");

    private FdScan fdsAtStart;

    @BeforeEach
    void seed() {
        http.post("/api/projects", map("id", P, "name", "Hostile"));
        http.post("/api/sessions", map("id", S, "source", "hostile"));
        http.post("/api/boards", map("slug", B, "name", "Hostile"));
        http.post("/api/plans", map("id", PLAN));
        if (fdsAtStart == null) {
            for (int i = 0; i < 20; i++) {
                http.get("/api/sessions/" + S);
            }
            fdsAtStart = fds().scan();
        }
    }

    static Stream<Arguments> rejected() {
        List<Arguments> cases = new ArrayList<>();
        String[] writes = {"/api/sessions", "/api/sessions/" + S + "/messages", "/api/projects", "/api/boards",
                "/api/boards/" + B + "/tasks", "/api/boards/" + B + "/claims", "/api/plans", "/api/plans/" + PLAN + "/checkpoints"};
        List<String> malformed = List.of("{", "{\"a\":}", "[1,2", "nul", "{'single':'quotes'}", "{\"a\":1}{\"b\":2}",
                "{\"title\":\"x\"", "\u0000\u0001\u0002", "{\"a\":NaN}", "{\"a\":1e99999999}", "\"just a string\"", "42", "[]",
                "[".repeat(10_000), "{\"a\":".repeat(100) + "1" + "}".repeat(100));
        for (String path : writes) {
            for (String body : malformed) {
                cases.add(arguments("POST", path, body, 400));
            }
            cases.add(arguments("POST", path, "{\"x\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}", 413));
            cases.add(arguments("POST", path, "{\"unknown_field\":1}", 400));
        }
        // wrong types, NUL, lone surrogates, oversize, invalid ids in each constrained field
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("/api/sessions", List.of("{\"source\":[]}", "{\"source\":\"a\\u0000b\"}", "{\"source\":\"\\ud800\"}",
                "{\"source\":\"cli\",\"id\":\"../../etc\"}", "{\"source\":\"cli\",\"id\":\"" + INJECTIONS.get(0) + "\"}",
                "{\"source\":\"cli\",\"parent_session_id\":\"" + INJECTIONS.get(1) + "\"}", "{\"source\":\"cli\",\"started_at\":\"' OR 1=1\"}",
                "{\"source\":\"cli\",\"started_at\":-5}", "{\"source\":\"cli\",\"project_id\":{}}", "{\"source\":true}"));
        fields.put("/api/sessions/" + S + "/messages", List.of("{\"role\":\"" + INJECTIONS.get(1) + "\"}", "{\"role\":\"user\",\"content\":[1]}",
                "{\"role\":\"user\",\"token_count\":\"12\"}", "{\"role\":\"user\",\"token_count\":1e20}", "{\"role\":\"user\",\"tool_calls\":7}",
                "{\"role\":\"user\",\"timestamp\":\"" + INJECTIONS.get(2) + "\"}", "{\"role\":\"user\",\"content\":\"\\udfff\"}"));
        fields.put("/api/projects", List.of("{\"name\":\"x\",\"color\":\"" + INJECTIONS.get(0) + "\"}", "{\"name\":\"x\",\"id\":\"a b\"}",
                "{\"name\":123}", "{\"name\":\"\\u0000\"}"));
        fields.put("/api/boards", List.of("{\"slug\":\"" + INJECTIONS.get(3) + "\",\"name\":\"x\"}", "{\"slug\":\"UPPER\",\"name\":\"x\"}",
                "{\"slug\":\"-x\",\"name\":\"x\"}", "{\"slug\":\"ok\",\"name\":null}"));
        fields.put("/api/boards/" + B + "/tasks", List.of("{\"title\":\"t\",\"status\":\"" + INJECTIONS.get(0) + "\"}",
                "{\"title\":\"t\",\"status\":\"running\"}", "{\"title\":\"t\",\"priority\":\"high\"}", "{\"title\":\"t\",\"parents\":\"t_1\"}",
                "{\"title\":\"t\",\"parents\":[\"" + INJECTIONS.get(4) + "\"]}", "{\"title\":\"t\",\"priority\":1e12}", "{\"title\":\"\"}"));
        fields.put("/api/boards/" + B + "/claims", List.of("{\"worker\":\"w\",\"ttlSeconds\":\"10\"}", "{\"worker\":\"w\",\"ttlSeconds\":-1}",
                "{\"worker\":\"w\",\"ttl_seconds\":99999999}", "{\"worker\":[\"w\"]}"));
        fields.put("/api/plans/" + PLAN + "/checkpoints", List.of("{\"resource\":\"../../state.db\"}", "{\"resource\":\"/etc/passwd\"}",
                "{\"resource\":\"a/../../../x.db\"}", "{\"resource\":\"" + INJECTIONS.get(1) + "\"}", "{\"resource\":\"..\"}",
                "{\"resource\":\"x\\u0000.db\"}", "{\"resource\":12}"));
        fields.forEach((path, bodies) -> bodies.forEach(b -> cases.add(arguments("POST", path, b, -1))));
        // invalid ids, slugs, cursors and parameters in URLs
        for (String inj : INJECTIONS) {
            String q = java.net.URLEncoder.encode(inj, java.nio.charset.StandardCharsets.UTF_8);
            cases.add(arguments("GET", "/api/sessions/" + q, null, 400));
            cases.add(arguments("GET", "/api/sessions?cursor=" + q, null, 400));
            cases.add(arguments("GET", "/api/sessions?project=" + q, null, 400));
            cases.add(arguments("GET", "/api/sessions?limit=" + q, null, 400));
            cases.add(arguments("GET", "/api/sessions/" + S + "/messages?before=" + q, null, 400));
            cases.add(arguments("GET", "/api/boards/" + q, null, 400));
            cases.add(arguments("GET", "/api/boards/" + B + "/tasks?status=" + q, null, 400));
            cases.add(arguments("GET", "/api/boards/" + B + "/tasks?cursor=" + q, null, 400));
            cases.add(arguments("GET", "/api/tasks/" + q, null, 400));
            cases.add(arguments("GET", "/api/plans/" + q, null, 400));
            cases.add(arguments("PATCH", "/api/sessions/" + S, "{\"project_id\":\"" + inj.replace("\"", "\\\"") + "\"}", 400));
        }
        cases.add(arguments("GET", "/api/sessions?limit=-1", null, 400));
        cases.add(arguments("GET", "/api/sessions?limit=99999999999999", null, 400));
        cases.add(arguments("GET", "/api/sessions?cursor=" + "A".repeat(5000), null, 400));
        cases.add(arguments("GET", "/api/sessions/" + "x".repeat(65), null, 400));
        cases.add(arguments("POST", "/api/tasks/t_nope/complete", "{\"lock\":\"" + INJECTIONS.get(0) + "\"}", 404));
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {3}")
    @MethodSource("rejected")
    void hostileRequestsAreRejectedAndWriteNothing(String method, String path, String body, int expected) {
        Map<String, Long> before = counts();
        Http.Response r = body == null ? (method.equals("GET") ? http.get(path) : http.delete(path)) : http.sendRaw(method, path, body);
        if (expected > 0) {
            assertThat(r.status()).as(r.raw().body()).isEqualTo(expected);
        } else {
            assertThat(r.status()).as(r.raw().body()).isBetween(400, 499);
        }
        assertThat(r.isProblem()).as("%s %s: %s %s", method, path, r.contentType(), r.raw().body()).isTrue();
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void injectionTextInFreeTextFieldsIsStoredVerbatimAndHarmsNothing() {
        for (String inj : INJECTIONS) {
            Http.Response s = http.post("/api/sessions", map("source", inj, "title", inj, "model", inj));
            assertThat(s.status()).isEqualTo(201);
            String id = s.json().get("id").asString();
            assertThat(http.get("/api/sessions/" + id).json().get("title").asString()).isEqualTo(inj);
            Http.Response m = http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", inj, "tool_name", inj));
            assertThat(m.status()).isEqualTo(201);
            assertThat(http.get("/api/sessions/" + id + "/messages").json().get("items").get(0).get("content").asString()).isEqualTo(inj);
            String q = java.net.URLEncoder.encode(inj, java.nio.charset.StandardCharsets.UTF_8);
            var rows = http.get("/api/sessions?source=" + q).json().get("items");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("id").asString()).isEqualTo(id);
            Http.Response t = http.post("/api/boards/" + B + "/tasks", map("title", inj, "body", inj, "assignee", inj));
            assertThat(t.status()).isEqualTo(201);
            assertThat(http.get("/api/boards/" + B + "/tasks?assignee=" + q).json().get("items")).hasSize(1);
        }
        String unicode = "héllo 世界 🚀 \u202Eevil\u202C e\u0301 \uD83D\uDE00";
        Http.Response u = http.post("/api/sessions", map("source", "unicode", "title", unicode));
        assertThat(u.status()).isEqualTo(201);
        assertThat(http.get("/api/sessions/" + u.json().get("id").asString()).json().get("title").asString()).isEqualTo(unicode);
        for (String table : TABLES) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE 1 = 0", Long.class))
                    .as(table + " is still there").isZero();
        }
    }

    @AfterAll
    void descriptorsAndTheDatabaseAreIntact() {
        FdScan end = fds().scan();
        assertThat(end.open()).as("start %s end %s", fdsAtStart.byKind(), end.byKind()).isLessThanOrEqualTo(fdsAtStart.open() + 4);
        if (database.isFile()) { // SQLite: every page is sound (PostgreSQL checks its own pages)
            assertThat(jdbc.queryForObject("PRAGMA integrity_check", String.class)).isEqualTo("ok");
        }
    }

    /**
     * Rows per table, leaving out what the dispatcher writes on its own schedule (it reclaims other
     * tests' expired leases, promotes and recovers tasks at any moment): a rejected request's count.
     */
    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, table.equals("task_events")
                    ? jdbc.queryForObject("SELECT COUNT(*) FROM task_events WHERE kind NOT IN ('reclaimed', 'promoted', 'recovered')", Long.class)
                    : count(table));
        }
        return counts;
    }
}
