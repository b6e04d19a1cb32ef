package dev.statehouse.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.statehouse.domain.ErrorKind;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problems a program can branch on: every error carries a documented {@code type} of its kind and
 * the kind's one title, validation failures list each field in {@code errors} under the client's
 * name for it, a 403 names the scope, and no framework text reaches a client.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemTypesTest extends ServerTestSupport {

    /** The problem's kind, after checking it is a documented one with its own title and the five fields. */
    private static ErrorKind kind(Http.Response r) {
        assertThat(r.isProblem()).as(r.raw().body()).isTrue();
        JsonNode p = r.json();
        String type = p.get("type").asString();
        assertThat(type).as(r.raw().body()).startsWith(ErrorKind.BASE);
        ErrorKind kind = Arrays.stream(ErrorKind.values()).filter(k -> k.type().toString().equals(type)).findFirst().orElseThrow();
        assertThat(p.get("title").asString()).isEqualTo(kind.title());
        assertThat(p.get("status").asInt()).isEqualTo(r.status());
        String detail = p.get("detail").asString();
        for (String framework : List.of("parameter 'body'", "No static resource", "Failed to convert", "java.", "Exception", "Request method")) {
            assertThat(detail).as("no framework text").doesNotContain(framework);
        }
        return kind;
    }

    private static List<String> fields(Http.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("errors").forEach(e -> out.add(e.get("field").asString() + ": " + e.get("message").asString()));
        return out;
    }

    private String board() {
        String slug = unique("pt").toLowerCase().replace('_', '-');
        assertThat(http.post("/api/boards", map("slug", slug, "name", "Problems")).status()).isEqualTo(201);
        return slug;
    }

    @Test
    void validationNamesEachFieldAsTheClientSentIt() {
        String board = board();
        Http.Response ttl = http.post("/api/boards/" + board + "/claims", map("worker", "w", "ttl_seconds", 0));
        assertThat(ttl.status()).isEqualTo(400);
        assertThat(kind(ttl)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(ttl)).containsExactly("ttl_seconds: must be greater than or equal to 1");
        assertThat(ttl.json().get("detail").asString()).isEqualTo("field 'ttl_seconds' must be greater than or equal to 1");

        Http.Response empty = http.post("/api/boards/" + board + "/claims", map());
        assertThat(kind(empty)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(empty)).containsExactly("worker: must not be blank");

        Http.Response two = http.post("/api/sessions", map("source", "", "role", 5));
        assertThat(kind(two)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(two.json().path("errors").size()).isGreaterThanOrEqualTo(1);

        Http.Response status = http.post("/api/boards/" + board + "/tasks", map("title", "t", "status", "sideways"));
        assertThat(kind(status)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(status)).singleElement().asString().startsWith("status: must be one of");

        Http.Response unknown = http.post("/api/boards/" + board + "/tasks", map("title", "t", "colour", "red"));
        assertThat(kind(unknown)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(unknown)).containsExactly("colour: is not a known field");

        Http.Response limit = http.get("/api/sessions?limit=ten");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(kind(limit)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(limit)).containsExactly("limit: must be an integer");

        Http.Response range = http.get("/api/sessions?limit=0");
        assertThat(kind(range)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(range)).singleElement().asString().startsWith("limit: ");

        Http.Response cursor = http.get("/api/sessions?cursor=nonsense");
        assertThat(kind(cursor)).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(fields(cursor)).containsExactly("cursor: is malformed");

        Http.Response malformed = http.sendRaw("POST", "/api/sessions", "{\"source\":");
        assertThat(kind(malformed)).isEqualTo(ErrorKind.MALFORMED_BODY);
        assertThat(malformed.json().has("errors")).isFalse();
    }

    @Test
    void conflictsSayWhichConflict() {
        String board = board();
        String task = http.post("/api/boards/" + board + "/tasks", map("title", "t", "status", "ready")).json().get("id").asString();
        JsonNode claim = http.post("/api/boards/" + board + "/claims", map("worker", "w")).json();
        assertThat(claim.get("task").get("id").asString()).isEqualTo(task);
        Http.Response lost = http.post("/api/tasks/" + task + "/heartbeat", map("lock", "lk_not-the-lock"));
        assertThat(lost.status()).isEqualTo(409);
        assertThat(kind(lost)).isEqualTo(ErrorKind.LEASE_LOST);
        Http.Response dup = http.post("/api/boards", map("slug", board, "name", "again"));
        assertThat(kind(dup)).isEqualTo(ErrorKind.ALREADY_EXISTS);
        String todo = http.post("/api/boards/" + board + "/tasks", map("title", "t2")).json().get("id").asString();
        Http.Response notRunning = http.post("/api/tasks/" + todo + "/complete", map("lock", "lk_x"));
        assertThat(kind(notRunning)).isEqualTo(ErrorKind.NOT_RUNNING);
        Http.Response missing = http.get("/api/tasks/t_doesnotexist");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(kind(missing)).isEqualTo(ErrorKind.NOT_FOUND);
        Http.Response parent = http.post("/api/sessions", map("source", "pt", "parent_session_id", "s_nobody"));
        assertThat(parent.status()).isEqualTo(422);
        assertThat(kind(parent)).isEqualTo(ErrorKind.UNKNOWN_REFERENCE);
    }

    @Test
    void theFrameworksOwnFailuresAreOurs(CapturedOutput output) {
        Http.Response path = http.get("/api/sesions");
        assertThat(path.status()).isEqualTo(404);
        assertThat(kind(path)).isEqualTo(ErrorKind.UNKNOWN_PATH);

        Http.Response method = http.request("PUT", "/api/sessions", "{}");
        assertThat(method.status()).isEqualTo(405);
        assertThat(kind(method)).isEqualTo(ErrorKind.METHOD_NOT_ALLOWED);
        assertThat(method.header("Allow")).contains("GET").contains("POST");

        Http.Response foreign = http.request("BREW", "/api/sessions", null);
        assertThat(foreign.status()).as("a method nobody implements: 501").isEqualTo(501);
        assertThat(kind(foreign)).isEqualTo(ErrorKind.METHOD_NOT_IMPLEMENTED);

        Http.Response media = http.sendRaw("POST", "/api/sessions", "source=x", "text/plain");
        assertThat(media.status()).isEqualTo(415);
        assertThat(kind(media)).isEqualTo(ErrorKind.UNSUPPORTED_MEDIA_TYPE);

        Http.Response accept = http.request("GET", "/api/sessions", null, "Accept", "text/csv");
        assertThat(accept.status()).isEqualTo(406);
        assertThat(kind(accept)).isEqualTo(ErrorKind.NOT_ACCEPTABLE);

        Http.Response rejected = http.get("/api/sessions/%2e%2e%2fetc");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(kind(rejected)).isEqualTo(ErrorKind.REQUEST_REJECTED);

        for (int i = 0; i < 30; i++) {
            http.request("PUT", "/api/sessions", "{}");
        }
        assertThat(output.getAll()).as("a client's wrong method is not the service's warning").doesNotContain("not supported");
    }

    @Test
    void aForbiddenRequestNamesTheScopeItNeeds() {
        Http reader = new Http(port, Http.READ_TOKEN);
        Http.Response write = reader.post("/api/sessions", map("source", "pt"));
        assertThat(write.status()).isEqualTo(403);
        assertThat(kind(write)).isEqualTo(ErrorKind.MISSING_SCOPE);
        assertThat(write.json().get("scope").asString()).isEqualTo("write");
        assertThat(write.json().get("detail").asString()).contains("'write'");

        Http.Response metrics = reader.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(403);
        assertThat(metrics.json().get("scope").asString()).isEqualTo("metrics");

        Http.Response none = new Http(port, null).get("/api/sessions");
        assertThat(none.status()).isEqualTo(401);
        assertThat(kind(none)).isEqualTo(ErrorKind.UNAUTHORIZED);
    }

    @Test
    void everyKindIsDocumentedInHelp() throws Exception {
        String help = Files.readString(Path.of("HELP.md"));
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(help).as(kind + " is listed in HELP.md's problem types").contains("`" + kind.slug() + "`");
        }
    }
}
