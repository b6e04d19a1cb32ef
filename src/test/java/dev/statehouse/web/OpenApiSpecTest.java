package dev.statehouse.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description is served without a token, describes every mapped endpoint with its
 * scope and its problem responses, and each documented example request is accepted by the running
 * server. The spec is written to {@code docs/openapi.json} on every build, so a change shows in review.
 */
class OpenApiSpecTest extends ServerTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private JsonNode spec() {
        Http.Response r = new Http(port, null).get("/v3/api-docs");
        assertThat(r.status()).as("the spec needs no token").isEqualTo(200);
        return r.json();
    }

    /**
     * OpenAPI 3.0 (what validators and client generators support in full), and {@code docs/openapi.json}
     * is the live document: when it is not, it is rewritten and the test fails, so a change to the
     * API cannot land without its document.
     */
    @Test
    void theSpecIsOpenApi30AndDocsHoldsTheLiveOne() throws Exception {
        JsonNode spec = spec();
        String live = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(spec) + "\n";
        Path docs = Path.of("docs/openapi.json");
        String committed = Files.exists(docs) ? Files.readString(docs) : "";
        if (!committed.equals(live)) {
            Files.createDirectories(docs.getParent());
            Files.writeString(docs, live);
        }
        assertThat(committed).as("docs/openapi.json was not the live document (it is now: commit it)").isEqualTo(live);
        assertThat(spec.get("openapi").asString()).startsWith("3.0");
        assertThat(spec.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(spec.at("/components/schemas/Problem/properties").has("errors")).isTrue();
        assertThat(new Http(port, null).get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void theDocumentSaysWhatEachOperationAnswers() {
        JsonNode spec = spec();
        assertThat(spec.get("paths").has("/error")).as("Spring's error page is not an operation").isFalse();
        assertThat(new Http(port, null).get("/error").status()).as("nor does it answer when called").isEqualTo(404);
        List<String> wildcard = new ArrayList<>();
        List<String> unanchored = new ArrayList<>();
        for (var path : spec.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                String name = op.getKey() + " " + path.getKey();
                for (var response : op.getValue().get("responses").properties()) {
                    JsonNode content = response.getValue().path("content");
                    if (content.has("*/*")) {
                        wildcard.add(name + " " + response.getKey());
                    }
                    if (response.getKey().equals("204") || response.getKey().equals("304")) {
                        assertThat(content.isMissingNode()).as(name + " " + response.getKey() + " has no body").isTrue();
                    }
                }
                op.getValue().path("parameters").forEach(p -> {
                    String pattern = p.at("/schema/pattern").asString("");
                    if (!pattern.isEmpty() && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
                        unanchored.add(name + " " + p.get("name").asString());
                    }
                });
            }
        }
        assertThat(wildcard).as("responses typed */*").isEmpty();
        assertThat(unanchored).as("patterns that would match a substring").isEmpty();
        JsonNode paths = spec.get("paths");
        assertThat(paths.at("/~1api~1sessions/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1sessions~1{id}/delete/responses").has("204")).isTrue();
        assertThat(paths.at("/~1api~1boards~1{slug}~1claims/post/responses").has("204")).isTrue();
        assertThat(paths.at("/~1api~1sessions/get/responses").has("304")).isTrue();
        assertThat(paths.at("/~1api~1boards~1{slug}~1events/get/responses/200/content").has("text/event-stream")).isTrue();
        assertThat(paths.at("/~1api~1tasks~1{id}~1heartbeat/post/responses/409/x-problem-types").toString())
                .contains("/problems/lease-lost").contains("/problems/not-running");
        assertThat(paths.at("/~1api~1sessions~1{id}/get/responses").has("409")).as("a read has no conflict").isFalse();
        assertThat(spec.at("/components/schemas/CreateSession/additionalProperties").asBoolean(true)).as("closed").isFalse();
        assertThat(spec.at("/components/schemas/Task/properties/completed_at/nullable").asBoolean()).isTrue();
        assertThat(spec.at("/components/schemas/TaskEvent/properties/payload/type").asString()).isEqualTo("object");
        assertThat(spec.at("/components/schemas/Message/properties/tool_calls/properties").isMissingNode())
                .as("tool_calls is any JSON value, not Jackson's JsonNode").isTrue();
    }

    @Test
    void everyMappedEndpointIsDescribedWithItsScopeAndProblems() {
        JsonNode paths = spec().get("paths");
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    info.getMethodsCondition().getMethods().forEach(m -> mapped.add(m.name().toLowerCase(Locale.ROOT) + " " + pattern));
                }
            }
        });
        assertThat(mapped).hasSizeGreaterThan(30);
        List<String> missing = new ArrayList<>();
        for (String endpoint : mapped) {
            String[] parts = endpoint.split(" ", 2);
            JsonNode op = paths.path(parts[1]).path(parts[0]);
            if (op.isMissingNode()) {
                missing.add(endpoint);
                continue;
            }
            assertThat(op.get("x-scope").asString()).as(endpoint).isIn("read", "write");
            for (String code : List.of("400", "401", "403", "500", "503")) {
                assertThat(op.at("/responses/" + code + "/content/application~1problem+json/schema/$ref").asString())
                        .as(endpoint + " " + code).endsWith("/Problem");
            }
            assertThat(op.get("summary")).as(endpoint + " has a summary").isNotNull();
        }
        assertThat(missing).as("mapped but not in the spec").isEmpty();
    }

    @Test
    void everyDocumentedExampleRequestIsAcceptedByTheServer() {
        JsonNode spec = spec();
        String session = http.post("/api/sessions", map("source", "examples")).json().get("id").asString();
        long message = http.post("/api/sessions/" + session + "/messages", map("role", "user", "content", "x")).json().get("id").asLong();
        String project = http.post("/api/projects", map("name", "examples")).json().get("id").asString();
        String board = unique("ex").toLowerCase().replace('_', '-');
        http.post("/api/boards", map("slug", board, "name", "examples"));
        String task = http.post("/api/boards/" + board + "/tasks", map("title", "t")).json().get("id").asString();
        String plan = http.post("/api/plans", map()).json().get("id").asString();
        Map<String, String> ids = Map.of("/api/sessions/", session, "/api/projects/", project, "/api/tasks/", task, "/api/plans/", plan);
        int replayed = 0;
        for (var path : spec.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                JsonNode schemaRef = op.getValue().at("/requestBody/content/application~1json/schema/$ref");
                if (schemaRef.isMissingNode()) {
                    continue;
                }
                String name = schemaRef.asString().substring(schemaRef.asString().lastIndexOf('/') + 1);
                JsonNode example = spec.at("/components/schemas/" + name + "/example");
                assertThat(example.isMissingNode()).as(op.getKey() + " " + path.getKey() + ": " + name + " has an example").isFalse();
                String url = path.getKey().replace("{slug}", board).replace("{parentId}", task)
                        .replace("{messageId}", String.valueOf(message)).replace("{cp}", "none");
                for (var e : ids.entrySet()) {
                    if (url.startsWith(e.getKey() + "{id}")) {
                        url = url.replace("{id}", e.getValue());
                    }
                }
                String body = example.isString() ? example.asString() : example.toString();
                Http.Response r = http.sendRaw(op.getKey().toUpperCase(Locale.ROOT), url, body);
                assertThat(r.status()).as("%s %s with %s: %s", op.getKey(), url, body, r.raw().body())
                        .isLessThan(500).isNotIn(400, 413, 415);
                replayed++;
            }
        }
        assertThat(replayed).isGreaterThanOrEqualTo(15);
    }
}
