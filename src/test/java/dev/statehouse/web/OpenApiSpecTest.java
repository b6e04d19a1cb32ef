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

    @Test
    void theSpecIsOpenApi31AndWrittenToDocs() throws Exception {
        JsonNode spec = spec();
        Files.createDirectories(Path.of("docs"));
        Files.writeString(Path.of("docs/openapi.json"),
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(spec) + "\n");
        assertThat(spec.get("openapi").asString()).startsWith("3.1");
        assertThat(spec.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(spec.at("/components/schemas/Problem/properties").has("instance")).isTrue();
        assertThat(new Http(port, null).get("/swagger-ui/index.html").status()).isEqualTo(200);
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
            for (String code : List.of("400", "401", "403")) {
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
