package dev.statehouse.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A tiny JSON-over-HTTP client for tests that talk to the running server like a real client. */
public final class Http {

    public static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One client for the whole test JVM: Java 17's HttpClient cannot be closed, so one per test would leak. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The test servers know these tokens (see {@link RunningServer#TOKENS}). */
    public static final String TOKEN = "test-token-all-0123456789";
    public static final String READ_TOKEN = "test-token-read-0123456789";
    public static final String METRICS_TOKEN = "test-token-metrics-0123456789";

    private final HttpClient client = CLIENT;
    private final int port;
    private final String base;
    private final String token;

    public Http(int port) {
        this(port, TOKEN);
    }

    /** A client that sends {@code token} as a bearer token, or no Authorization header when null. */
    public Http(int port, String token) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public record Response(int status, HttpResponse<String> raw) {
        public JsonNode json() {
            String body = raw.body();
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        }

        public String contentType() {
            return raw.headers().firstValue("content-type").orElse("");
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public boolean isProblem() {
            return contentType().startsWith("application/problem+json");
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), null);
    }

    public Response post(String path, Object body) {
        return sendBody("POST", path, body);
    }

    public Response patch(String path, Object body) {
        return sendBody("PATCH", path, body);
    }

    /** Sends a raw string body (possibly malformed JSON) with a JSON content type. */
    public Response sendRaw(String method, String path, String body) {
        return sendRaw(method, path, body, "application/json");
    }

    public Response sendRaw(String method, String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)), body);
    }

    /** Any request with extra headers (name, value, name, value, ...); a null body sends none. */
    public Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder, body);
    }

    private Response sendBody(String method, String path, Object body) {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return sendRaw(method, path, text);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    /** Sends the request and checks the exchange against the server's OpenAPI document ({@link OpenApiContract}). */
    private Response send(HttpRequest.Builder builder, String body) {
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            OpenApiContract.check(port, request, body, response);
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> map(Object... keyValues) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
