package dev.statehouse.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.statehouse.health.FdScan;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random requests (seeded, so a failure replays): random methods on real and made-up
 * paths, with real, mutated and garbage bodies. Invariants: no 5xx but 503, every error is
 * problem+json, the descriptor count stays flat, and the database passes integrity_check.
 */
@EnabledOnOs(OS.LINUX)
class FuzzTest extends ServerTestSupport {

    private static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "PUT"};
    private static final String[] FIELDS = {"id", "source", "title", "role", "content", "name", "color", "slug", "status",
            "priority", "parents", "worker", "ttlSeconds", "lock", "reason", "error", "result", "resource", "label",
            "project_id", "parent_session_id", "started_at", "ended_at", "end_reason", "pinned", "archived", "tool_calls",
            "token_count", "timestamp", "description", "assignee", "idempotency_key", "parent_id", "body", "review"};

    private final Random random = new Random(20261122L);
    private final List<String> sessions = new ArrayList<>();
    private final List<String> tasks = new ArrayList<>();
    private String board;
    private String plan;

    private String pick(List<String> values) {
        return values.isEmpty() ? "none" : values.get(random.nextInt(values.size()));
    }

    private String segment() {
        return switch (random.nextInt(9)) {
            case 0 -> pick(sessions);
            case 1 -> pick(tasks);
            case 2 -> board;
            case 3 -> plan;
            case 4 -> "..%2F..%2Fetc%2Fpasswd";
            case 5 -> "x".repeat(1 + random.nextInt(100));
            case 6 -> "%27%20OR%201%3D1";
            case 7 -> Integer.toString(random.nextInt());
            default -> "%F0%9F%9A%80";
        };
    }

    private String path() {
        String[] templates = {"/api/sessions", "/api/sessions/{s}", "/api/sessions/{s}/messages", "/api/projects",
                "/api/projects/{x}", "/api/boards", "/api/boards/{b}", "/api/boards/{b}/tasks", "/api/boards/{b}/claims",
                "/api/boards/{b}/archive", "/api/tasks/{t}", "/api/tasks/{t}/heartbeat", "/api/tasks/{t}/complete",
                "/api/tasks/{t}/fail", "/api/tasks/{t}/block", "/api/tasks/{t}/unblock", "/api/tasks/{t}/links",
                "/api/tasks/{t}/comments", "/api/plans", "/api/plans/{p}", "/api/plans/{p}/checkpoints",
                "/api/dispatcher", "/api/{x}", "/actuator/health", "/{x}"};
        String path = templates[random.nextInt(templates.length)];
        path = path.replace("{s}", random.nextInt(4) == 0 ? segment() : pick(sessions))
                .replace("{t}", random.nextInt(4) == 0 ? segment() : pick(tasks))
                .replace("{b}", random.nextInt(4) == 0 ? segment() : board)
                .replace("{p}", random.nextInt(4) == 0 ? segment() : plan)
                .replace("{x}", segment());
        if (random.nextInt(3) == 0) {
            String[] params = {"limit", "cursor", "source", "project", "before", "status", "assignee", "include_archived", "after"};
            path += "?" + params[random.nextInt(params.length)] + "=" + segment();
        }
        return path;
    }

    private Object value() {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> random.nextInt(1000) - 500;
            case 2 -> random.nextBoolean();
            case 3 -> List.of(pick(tasks), 1, "x");
            case 4 -> map("nested", map("deeper", random.nextDouble()));
            case 5 -> "x".repeat(random.nextInt(3000));
            case 6 -> "'; DROP TABLE tasks; --";
            case 7 -> pick(sessions);
            case 8 -> "2026-0" + (1 + random.nextInt(9)) + "-01T00:00:00Z";
            case 9 -> new String[] {"user", "assistant", "ready", "todo", "compression", "#a1b2c3"}[random.nextInt(6)];
            case 10 -> "\u00e9\u4e16\uD83D\uDE80";
            default -> random.nextLong();
        };
    }

    private String body() {
        if (random.nextInt(8) == 0) { // garbage
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            m.put(FIELDS[random.nextInt(FIELDS.length)], value());
        }
        return Http.JSON.writeValueAsString(m);
    }

    @Test
    void randomRequestsKeepTheInvariants() {
        board = "fuzz-" + unique("b").toLowerCase().replace("_", "-");
        assertThat(http.post("/api/boards", map("slug", board, "name", "Fuzz")).status()).isEqualTo(201);
        plan = http.post("/api/plans", map("description", "fuzz")).json().get("id").asString();
        for (int i = 0; i < 10; i++) {
            sessions.add(http.post("/api/sessions", map("source", "fuzz")).json().get("id").asString());
            tasks.add(http.post("/api/boards/" + board + "/tasks", map("title", "t" + i, "status", "ready")).json().get("id").asString());
        }
        for (int i = 0; i < 50; i++) {
            http.get("/api/sessions?source=fuzz");
        }
        FdScan before = fds().scan();
        int[] byClass = new int[6];
        for (int i = 0; i < 3000; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = path();
            Http.Response r;
            try {
                r = method.equals("GET") ? http.get(path) : method.equals("DELETE") ? http.delete(path) : http.sendRaw(method, path, body());
            } catch (IllegalArgumentException e) {
                continue; // the client itself refused the URI
            }
            byClass[r.status() / 100]++;
            assertThat(r.status() < 500 || r.status() == 503).as("#%d %s %s -> %d %s", i, method, path, r.status(), r.raw().body()).isTrue();
            if (r.status() >= 400 && !path.startsWith("/actuator")) {
                assertThat(r.isProblem()).as("#%d %s %s -> %d %s", i, method, path, r.status(), r.contentType()).isTrue();
            }
            if (r.status() == 201 && path.equals("/api/sessions")) {
                sessions.add(r.json().get("id").asString());
            }
        }
        System.out.printf("fuzz: 2xx=%d 3xx=%d 4xx=%d 5xx=%d%n", byClass[2], byClass[3], byClass[4], byClass[5]);
        FdScan after = fds().scan();
        assertThat(after.open()).as("before %s after %s", before.byKind(), after.byKind()).isLessThanOrEqualTo(before.open() + 4);
        assertThat(integrityCheck()).isEqualTo("ok");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(byClass[2]).as("some requests were valid").isPositive();
    }
}
