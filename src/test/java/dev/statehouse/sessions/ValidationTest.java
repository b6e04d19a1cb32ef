package dev.statehouse.sessions;

import java.util.stream.Stream;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every rejected request answers problem+json with the right status and writes nothing. */
class ValidationTest extends ServerTestSupport {

    static final String S = "val_session";
    static final String P = "val_project";

    @BeforeEach
    void seed() {
        http.post("/api/projects", map("id", P, "name", "Validation"));
        http.post("/api/sessions", map("id", S, "source", "cli", "started_at", "2026-01-01T00:00:00Z"));
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static Stream<Arguments> cases() {
        String big = "x".repeat(1024 * 1024 + 1);
        return Stream.of(
                // creating sessions
                arguments("POST", "/api/sessions", "[]", 400),
                arguments("POST", "/api/sessions", "{bad", 400),
                arguments("POST", "/api/sessions", "", 400),
                arguments("POST", "/api/sessions", "{\"source\":1}", 400),
                arguments("POST", "/api/sessions", "{\"title\":\"no source\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"  \"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"colour\":\"x\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"id\":\"bad id!\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"id\":\"" + "a".repeat(65) + "\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"title\":\"" + "t".repeat(501) + "\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"title\":\"nul\\u0000byte\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"started_at\":\"yesterday\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"started_at\":true}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"project_id\":\"nope\"}", 422),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"parent_session_id\":\"nope\"}", 422),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"id\":\"" + S + "\"}", 409),
                arguments("POST", "/api/sessions", "{\"source\":\"a\",\"source\":\"b\"}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"a\"} trailing", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"title\":" + nested(200) + "}", 400),
                arguments("POST", "/api/sessions", "{\"source\":\"cli\",\"title\":\"" + "y".repeat(3 * 1024 * 1024) + "\"}", 413),
                // updating sessions
                arguments("PATCH", "/api/sessions/" + S, "{\"pinned\":\"yes\"}", 400),
                arguments("PATCH", "/api/sessions/" + S, "{\"pinned\":null}", 400),
                arguments("PATCH", "/api/sessions/" + S, "{\"archived\":1}", 400),
                arguments("PATCH", "/api/sessions/" + S, "{\"ended_at\":\"2026-01-01T01:00:00Z\"}", 400),
                arguments("PATCH", "/api/sessions/" + S, "{\"end_reason\":\"\"}", 400),
                arguments("PATCH", "/api/sessions/" + S, "{\"end_reason\":\"x\",\"ended_at\":\"2025-01-01T00:00:00Z\"}", 422),
                arguments("PATCH", "/api/sessions/" + S, "{\"project_id\":\"nope\"}", 422),
                arguments("PATCH", "/api/sessions/" + S, "{\"model\":\"not patchable\"}", 400),
                arguments("PATCH", "/api/sessions/unknown_session", "{\"title\":\"x\"}", 404),
                arguments("PATCH", "/api/sessions/bad%20id", "{\"title\":\"x\"}", 400),
                arguments("DELETE", "/api/sessions/unknown_session", null, 404),
                arguments("GET", "/api/sessions/unknown_session", null, 404),
                arguments("GET", "/api/sessions/" + "z".repeat(65), null, 400),
                // the sidebar's parameters
                arguments("GET", "/api/sessions?limit=0", null, 400),
                arguments("GET", "/api/sessions?limit=201", null, 400),
                arguments("GET", "/api/sessions?limit=abc", null, 400),
                arguments("GET", "/api/sessions?cursor=garbage", null, 400),
                arguments("GET", "/api/sessions?cursor=djF8eHx5", null, 400),
                arguments("GET", "/api/sessions?project=bad!", null, 400),
                arguments("GET", "/api/sessions?include_archived=maybe", null, 400),
                // messages
                arguments("GET", "/api/sessions/unknown_session/messages", null, 404),
                arguments("GET", "/api/sessions/" + S + "/messages?before=abc", null, 400),
                arguments("GET", "/api/sessions/" + S + "/messages?before=999999999", null, 400),
                arguments("GET", "/api/sessions/" + S + "/messages?limit=501", null, 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"robot\"}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"content\":\"no role\"}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"user\",\"tool_calls\":\"str\"}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"user\",\"token_count\":-1}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"user\",\"token_count\":1.5}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"user\",\"content\":42}", 400),
                arguments("POST", "/api/sessions/" + S + "/messages", "{\"role\":\"user\",\"content\":\"" + big + "\"}", 400),
                arguments("POST", "/api/sessions/unknown_session/messages", "{\"role\":\"user\",\"content\":\"x\"}", 404),
                // projects
                arguments("POST", "/api/projects", "{}", 400),
                arguments("POST", "/api/projects", "{\"name\":\"x\",\"color\":\"red\"}", 400),
                arguments("POST", "/api/projects", "{\"name\":\"" + "n".repeat(201) + "\"}", 400),
                arguments("POST", "/api/projects", "{\"id\":\"" + P + "\",\"name\":\"dup\"}", 409),
                arguments("PATCH", "/api/projects/" + P, "{\"name\":null}", 400),
                arguments("PATCH", "/api/projects/" + P, "{\"name\":\" \"}", 400),
                arguments("PATCH", "/api/projects/unknown_project", "{\"name\":\"x\"}", 404),
                arguments("DELETE", "/api/projects/unknown_project", null, 404),
                arguments("GET", "/api/projects/bad.id", null, 400),
                // the HTTP layer
                arguments("PUT", "/api/sessions", "{}", 405),
                arguments("GET", "/api/no-such-endpoint", null, 404));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("cases")
    void rejectedRequestsAreProblemsAndWriteNothing(String method, String path, String body, int status) {
        long sessions = count("sessions"), messages = count("messages"), projects = count("projects");
        String before = jdbc.queryForObject("SELECT COALESCE(title, '') || '|' || pinned || '|' || archived || '|' || COALESCE(end_reason, '')"
                + " || '|' || COALESCE(project_id, '') FROM sessions WHERE id = ?", String.class, S);

        Http.Response r = body == null
                ? (method.equals("GET") ? http.get(path) : http.delete(path))
                : http.sendRaw(method, path, body);

        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.isProblem()).as(r.contentType()).isTrue();
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("title").asString()).isNotBlank();
        assertThat(count("sessions")).isEqualTo(sessions);
        assertThat(count("messages")).isEqualTo(messages);
        assertThat(count("projects")).isEqualTo(projects);
        assertThat(jdbc.queryForObject("SELECT COALESCE(title, '') || '|' || pinned || '|' || archived || '|' || COALESCE(end_reason, '')"
                + " || '|' || COALESCE(project_id, '') FROM sessions WHERE id = ?", String.class, S)).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void wrongContentTypeIsUnsupportedMediaType() {
        Http.Response r = http.sendRaw("POST", "/api/sessions", "source=cli", "text/plain");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.isProblem()).isTrue();
    }
}
