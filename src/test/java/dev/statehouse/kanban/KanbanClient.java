package dev.statehouse.kanban;

import dev.statehouse.support.Http;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** The worker protocol as a client speaks it, with the status checks every test repeats. */
record KanbanClient(Http http) {

    String board(String slug) {
        Http.Response r = http.post("/api/boards", map("slug", slug, "name", "Board " + slug));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return slug;
    }

    JsonNode task(String board, Object... fields) {
        Http.Response r = http.post("/api/boards/" + board + "/tasks", map(fields));
        assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
        return r.json();
    }

    String readyTask(String board, String title) {
        return task(board, "title", title, "status", "ready").get("id").asString();
    }

    /** The claim's JSON, or null on 204. */
    JsonNode claim(String board, String worker, int ttlSeconds) {
        Http.Response r = http.post("/api/boards/" + board + "/claims", map("worker", worker, "ttlSeconds", ttlSeconds));
        if (r.status() == 204) {
            return null;
        }
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    Http.Response act(String taskId, String action, Object... fields) {
        return http.post("/api/tasks/" + taskId + "/" + action, map(fields));
    }

    JsonNode ok(Http.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    JsonNode detail(String taskId) {
        return ok(http.get("/api/tasks/" + taskId));
    }

    String status(String taskId) {
        return detail(taskId).get("status").asString();
    }
}
