package dev.statehouse.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients the packaged jar must shrug off: SSE watchers that keep disconnecting (no ERROR, no stack
 * trace, the log barely grows), thousands of query or form parameters (a problem+json 4xx, never a
 * 500 or an HTML page), and anonymous health calls (status only: no paths, no pool). And the start
 * prints no second, generated password.
 */
class HostileClientsIT {

    private static final String TOKEN = "it-token-hostile-clients-0123456789";
    private static final String READER = "it-token-hostile-reader-0123456789";

    @Test
    void hostileClientsGet4xxAndLeaveTheLogAlone() throws Exception {
        try (JarProcess jar = JarProcess.start(List.of(), "--statehouse.auth.tokens.it.token=" + TOKEN,
                "--statehouse.auth.tokens.it.scopes=read,write,metrics", "--statehouse.auth.tokens.reader.token=" + READER,
                "--statehouse.auth.tokens.reader.scopes=read", "--statehouse.kanban.watcher-ping=100ms")) {
            jar.token = TOKEN;
            assertThat(jar.output()).doesNotContainIgnoringCase("generated security password");
            assertThat(jar.post("/api/boards", "{\"slug\":\"h\",\"name\":\"H\"}").statusCode()).isEqualTo(201);

            // SSE watchers with read scope that go away, again and again
            long logBefore = Files.size(jar.log);
            jar.token = READER;
            for (int i = 0; i < 40; i++) {
                HttpResponse<InputStream> watch = jar.client.send(HttpRequest.newBuilder(URI.create(jar.url("/api/boards/h/events")))
                        .header("Authorization", "Bearer " + READER).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(watch.statusCode()).isEqualTo(200);
                InputStream events = watch.body();
                assertThat(events.read()).isNotNegative();
                events.close(); // the client goes away
            }
            Thread.sleep(1500); // pings find the closed streams
            jar.token = TOKEN;
            assertThat(jar.post("/api/boards/h/tasks", "{\"title\":\"after the watchers\"}").statusCode()).isEqualTo(201);
            Thread.sleep(300);
            String added = Files.readString(jar.log).substring((int) logBefore);
            System.out.printf("40 SSE disconnects added %d bytes of log%n", added.length());
            assertThat(added).doesNotContain("ERROR").doesNotContain("\tat ");
            assertThat(added.length()).as(added).isLessThan(2_000);

            // thousands of parameters
            String many = IntStream.range(0, 10_000).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
            HttpResponse<String> query = jar.get("/api/projects?" + many);
            assertProblem(query, 400);
            HttpResponse<String> form = jar.client.send(HttpRequest.newBuilder(URI.create(jar.url("/api/sessions")))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(many)).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(form, 415);
            HttpResponse<String> jsonWithQuery = jar.post("/api/sessions?" + many, "{\"source\":\"cli\"}");
            assertProblem(jsonWithQuery, 400);
            assertThat(jar.get("/api/projects?limit=5").statusCode()).as("a normal query still works").isEqualTo(200);

            // anonymous health: status only
            jar.token = null;
            for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
                HttpResponse<String> anonymous = jar.get(path);
                assertThat(anonymous.statusCode()).as(path).isEqualTo(200);
                assertThat(anonymous.body()).as(path).isIn("{\"status\":\"UP\"}", "{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}");
            }
            jar.token = READER;
            assertThat(jar.get("/actuator/health/liveness").body()).as("read scope is not enough").isEqualTo("{\"status\":\"UP\"}");
            jar.token = TOKEN;
            assertThat(jar.get("/actuator/health/liveness").body()).contains("\"fdLeak\"").contains("\"limit\"");
            assertThat(jar.get("/actuator/health/readiness").body()).contains("\"storage\"").contains("\"disk\"");
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
}
