package dev.statehouse.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Holds every exchange the API suites make through {@link Http} against the live OpenAPI document
 * of the server they talk to (fetched once per server): the response must be one the document
 * describes (its status, content type, headers and body schema), a request the server accepted
 * must be valid by the document, and a request the server refused as invalid (400
 * {@code invalid-request} or {@code malformed-body}) must be invalid by the document too — so the
 * document is exactly as strict as the server, and cannot drift from it.
 *
 * <p>A mismatch fails the test that made the request. {@code -Dstatehouse.test.openapi=report}
 * writes mismatches to {@code target/openapi-mismatches.txt} instead (to see them all at once);
 * {@code off} turns the check off. The exclusions, each with its reason, are in {@link #excused}.
 */
public final class OpenApiContract {

    private static final String MODE = System.getProperty("statehouse.test.openapi", "fail");
    private static final Map<Integer, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Exchanges already found to agree (a digest of request and response): a poller's thousand identical reads are checked once. */
    private static final java.util.Set<String> AGREED = ConcurrentHashMap.newKeySet();

    private OpenApiContract() {
    }

    private static OpenApiInteractionValidator validator(int port) {
        return VALIDATORS.computeIfAbsent(port, p -> {
            try {
                HttpResponse<String> spec = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/v3/api-docs"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (spec.statusCode() != 200) {
                    throw new IllegalStateException("no OpenAPI document: " + spec.statusCode());
                }
                return OpenApiInteractionValidator.createForInlineApiSpecification(spec.body())
                        // excused: a body sent to an operation that takes none is ignored by the server (POST …/archive with {})
                        .withLevelResolver(LevelResolver.create().withLevel("validation.request.body.unexpected", ValidationReport.Level.IGNORE)
                                // excused: the server ignores a query parameter the operation does not define (a cache buster,
                                // a proxy's tag); OpenAPI 3.0 has no way to say "and any other"
                                .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                                .build())
                        .build();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Checks one exchange; {@code body} is what was sent (null for none). */
    static void check(int port, HttpRequest request, String body, HttpResponse<String> response) {
        if (MODE.equals("off") || !request.uri().getRawPath().startsWith("/api/")) {
            return;
        }
        if (request.method().equals("OPTIONS")) {
            return; // HTTP's own method (Allow, CORS preflight), answered by the framework: not an operation of the API
        }
        String digest = digest(request.method(), request.uri().getRawPath(), request.uri().getRawQuery(), body,
                Integer.toString(response.statusCode()), response.headers().firstValue("content-type").orElse(""), response.body());
        if (AGREED.contains(digest)) {
            return;
        }
        OpenApiInteractionValidator validator = validator(port);
        String path = request.uri().getRawPath();
        Request.Method method;
        try {
            method = Request.Method.valueOf(request.method());
        } catch (IllegalArgumentException notInTheDocument) {
            return; // a method no document can describe (BREW): what the server answers is checked by its own test
        }
        // the raw path: the validator decodes each path parameter itself
        SimpleRequest.Builder req = new SimpleRequest.Builder(method, path);
        request.headers().map().forEach((name, values) -> req.withHeader(name, values));
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                req.withQueryParam(name, value);
            }
        }
        if (body != null) {
            req.withBody(body);
        }
        SimpleRequest simpleRequest = req.build();
        SimpleResponse.Builder res = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((name, values) -> res.withHeader(name, values));
        if (response.body() != null && !response.body().isEmpty()) {
            res.withBody(response.body());
        }
        String exchange = request.method() + " " + request.uri().getRawPath() + (query == null ? "" : "?" + query)
                + (body == null ? "" : " " + abbreviate(body)) + " -> " + response.statusCode() + " " + abbreviate(response.body());

        int status = response.statusCode();
        ValidationReport asked;
        boolean undescribed;
        try {
            asked = validator.validateRequest(simpleRequest);
            undescribed = asked.getMessages().stream().anyMatch(m -> m.getKey().equals("validation.request.path.missing")
                    || m.getKey().equals("validation.request.operation.notAllowed"));
        } catch (IllegalArgumentException malformedPath) { // a path no URI decoder accepts ('%' not followed by hex)
            asked = ValidationReport.singleton(ValidationReport.Message.create("validation.request.path.malformed",
                    String.valueOf(malformedPath.getMessage())).build());
            undescribed = true;
        }
        if (undescribed) { // no such operation in the document: the server must say so too (404 unknown-path, 405, 501)
            boolean agrees = status == 405 || status == 501 || (status == 404 && String.valueOf(response.body()).contains("/problems/unknown-path\""))
                    || (status == 400 && String.valueOf(response.body()).contains("/problems/request-rejected\""))
                    || (status == 400 && String.valueOf(response.body()).contains("/problems/invalid-request\""));
            if (!agrees) {
                mismatch("the server answered an operation the document does not have", exchange, asked);
            }
            return;
        }
        ValidationReport answer = validator.validateResponse(path, method, res.build());
        if (answer.hasErrors()) {
            mismatch("the response is not what the document describes", exchange, answer);
        }
        if ((status / 100 == 2 || status == 304) && asked.hasErrors()) {
            mismatch("the server accepted a request the document refuses", exchange, asked);
        }
        if (status == 400 && !asked.hasErrors() && refusedAsInvalid(response.body()) && excused(response.body()) == null) {
            mismatch("the server refused as invalid a request the document accepts", exchange, asked);
            return;
        }
        if (AGREED.size() < 200_000) {
            AGREED.add(digest);
        }
    }

    private static String digest(String... parts) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean refusedAsInvalid(String problem) {
        return problem != null && (problem.contains("/problems/invalid-request\"") || problem.contains("/problems/malformed-body\""));
    }

    /**
     * Why a 400 the document cannot predict is still right, or null. Each is a rule JSON Schema
     * cannot state: a text's budget in UTF-8 bytes (the document gives the bound in characters),
     * text with NUL or a lone surrogate, a duplicate key, a number written as a string in JSON the
     * parser reads strictly, a cursor or event id that is well-formed but points nowhere.
     */
    static String excused(String problem) {
        if (problem.contains("bytes")) {
            return "a UTF-8 byte budget (the document's maxLength counts characters)";
        }
        if (problem.contains("NUL") || problem.contains("surrogate") || problem.contains("control character")) {
            return "text with NUL, a lone surrogate or a control character";
        }
        if (problem.contains("Duplicate field") || problem.contains("duplicate")) {
            return "a duplicate key in a JSON object";
        }
        if (problem.contains("must not be blank") || problem.contains("must not be null or blank")) {
            return "text of spaces only (JSON Schema's minLength counts them)";
        }
        if (problem.contains("ended_at needs end_reason")) {
            return "a rule over several fields (ended_at needs end_reason)";
        }
        if (problem.matches("(?s).*\\{\"field\":\"(ttl_seconds|max)\",\"message\":\"must be between 1 and \\d+\"}.*")) {
            return "a bound the operator configures (max-lease-seconds, max-claim-batch): the document states the ceiling";
        }
        if (problem.contains("tool_calls' must be a JSON array or object")) {
            return "tool_calls must be an array or an object: said in words, since OpenAPI 3.0's anyOf breaks generated clients";
        }
        if (problem.contains("symbolic link")) {
            return "a resource whose symbolic link leads out of the root (depends on the file system)";
        }
        if (problem.contains("cursor")) {
            return "a well-formed cursor of another list or page";
        }
        if (problem.contains("wrong type or value") || problem.contains("not well-formed JSON") || problem.contains("not a JSON object")) {
            return "a value the strict parser refuses (1.5 or 1e2 for an integer, \"12\" for a number, trailing content)";
        }
        return null;
    }

    private static void mismatch(String what, String exchange, ValidationReport report) {
        String messages = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> "  " + m.getKey() + ": " + m.getMessage()).distinct().collect(Collectors.joining("\n"));
        String text = what + ":\n  " + exchange + "\n" + (messages.isEmpty() ? "  (the document accepts it)" : messages);
        if (MODE.equals("report")) {
            try {
                Files.writeString(Path.of("target/openapi-mismatches.txt"), text + "\n\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        throw new AssertionError("OpenAPI document and server disagree — " + text);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
