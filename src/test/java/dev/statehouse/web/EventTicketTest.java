package dev.statehouse.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's EventSource sends no Authorization header: it opens a board's stream with a short
 * ticket in the URL, which opens that stream and nothing else, and the API token never goes in a URL.
 */
class EventTicketTest extends ServerTestSupport {

    private static final HttpClient BROWSER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<InputStream> eventSource(String path) throws Exception {
        // what EventSource sends: Accept text/event-stream, no Authorization, no custom headers
        return BROWSER.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private String board() {
        String slug = unique("tix").toLowerCase().replace('_', '-');
        assertThat(http.post("/api/boards", map("slug", slug, "name", "Tickets")).status()).isEqualTo(201);
        return slug;
    }

    @Test
    void aBrowserStyleEventSourceWatchesABoardWithATicketFromAReadOnlyToken() throws Exception {
        String slug = board();
        HttpResponse<InputStream> anonymous = eventSource("/api/boards/" + slug + "/events");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        anonymous.body().close();

        Http reader = new Http(port, Http.READ_TOKEN);
        Http.Response issued = reader.post("/api/boards/" + slug + "/events/tickets", map());
        assertThat(issued.status()).isEqualTo(201);
        String ticket = issued.json().get("ticket").asString();
        assertThat(ticket).doesNotContain(Http.READ_TOKEN);
        assertThat(issued.json().get("url").asString()).isEqualTo("/api/boards/" + slug + "/events?ticket=" + ticket);

        HttpResponse<InputStream> stream = eventSource(issued.json().get("url").asString());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> created = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data:") && line.contains("\"kind\":\"created\"")) {
                            return line;
                        }
                    }
                    return null;
                } catch (Exception e) {
                    return null;
                }
            });
            Thread.sleep(300); // the stream is subscribed before the write
            String task = http.post("/api/boards/" + slug + "/tasks", map("title", "watched")).json().get("id").asString();
            assertThat(created.get(10, TimeUnit.SECONDS)).contains(task);
        }
    }

    @Test
    void aTicketOpensItsOwnBoardsStreamAndNothingElse() throws Exception {
        String slug = board();
        String other = board();
        String ticket = http.post("/api/boards/" + slug + "/events/tickets", map()).json().get("ticket").asString();

        HttpResponse<InputStream> wrongBoard = eventSource("/api/boards/" + other + "/events?ticket=" + ticket);
        assertThat(wrongBoard.statusCode()).isEqualTo(401);
        wrongBoard.body().close();
        Http anonymous = new Http(port, null);
        assertThat(anonymous.get("/api/sessions?ticket=" + ticket).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/boards/" + slug + "?ticket=" + ticket).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/boards/" + slug + "/tasks?ticket=" + ticket).status()).isEqualTo(401);
        assertThat(anonymous.request("POST", "/api/boards/" + slug + "/tasks?ticket=" + ticket, "{\"title\":\"x\"}").status()).isEqualTo(401);
        String forged = ticket.substring(0, ticket.length() - 2) + (ticket.endsWith("A") ? "BB" : "AA");
        HttpResponse<InputStream> tampered = eventSource("/api/boards/" + slug + "/events?ticket=" + forged);
        assertThat(tampered.statusCode()).isEqualTo(401);
        tampered.body().close();
        // the long-lived token is never accepted in a URL
        assertThat(anonymous.get("/api/sessions?access_token=" + Http.TOKEN).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/sessions?token=" + Http.TOKEN).status()).isEqualTo(401);
        // a ticket for a board that does not exist is not issued
        assertThat(http.post("/api/boards/no-such-board/events/tickets", map()).status()).isEqualTo(404);
    }
}
