package dev.statehouse.web;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What clients poll answers {@code If-None-Match} with 304 while nothing changed, and with 200 and
 * a new strong ETag as soon as anything did: a write through the API (at once) or a write by
 * another process straight into the database file (sidebar within its 1 s TTL; task lists at once).
 */
class ConditionalGetTest extends ServerTestSupport {

    private Http.Response get(String path, String etag) {
        return etag == null ? http.request("GET", path, null) : http.request("GET", path, null, "If-None-Match", etag);
    }

    /** 200 with a strong ETag, then 304 with no body for that ETag; returns the ETag. */
    private String revalidates(String path) {
        Http.Response first = get(path, null);
        assertThat(first.status()).as(path).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).as(path + " ETag").isNotNull().startsWith("\"").doesNotStartWith("W/");
        assertThat(first.header("Cache-Control")).as(path).contains("no-cache").doesNotContain("no-store");
        Http.Response again = get(path, etag);
        assertThat(again.status()).as(path + " revalidated").isEqualTo(304);
        assertThat(again.raw().body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        return etag;
    }

    @Test
    void sidebarProjectsAndMessagesAnswer304UntilAWriteAndThenTheNewState() {
        String source = unique("etag");
        String session = source + "_s";
        http.post("/api/sessions", map("id", session, "source", source));
        http.post("/api/sessions/" + session + "/messages", map("role", "user", "content", "first"));
        String sidebar = "/api/sessions?source=" + source;
        String messages = "/api/sessions/" + session + "/messages";
        String etag = revalidates(sidebar);
        String messagesEtag = revalidates(messages);
        String projectsEtag = revalidates("/api/projects");

        assertThat(http.post(messages, map("role", "assistant", "content", "second")).status()).isEqualTo(201);
        Http.Response changed = get(sidebar, etag);
        assertThat(changed.status()).as("the client's own write shows at once").isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        Http.Response newMessages = get(messages, messagesEtag);
        assertThat(newMessages.status()).isEqualTo(200);
        assertThat(newMessages.json().get("items")).hasSize(2);

        assertThat(http.post("/api/projects", map("name", unique("p"))).status()).isEqualTo(201);
        assertThat(get("/api/projects", projectsEtag).status()).isEqualTo(200);
    }

    /**
     * Two selections of the same data never share an ETag, so one never validates the other: a
     * limit, a filter, a cursor page, another session's messages, another board's tasks.
     */
    @Test
    void everySelectionHasAnEtagOfItsOwn() {
        String source = unique("sel");
        String a = source + "_a";
        String b = source + "_b";
        for (String s : new String[] {a, b}) {
            http.post("/api/sessions", map("id", s, "source", source));
            for (int i = 0; i < 3; i++) {
                http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "m" + i));
            }
        }
        String boardA = http.post("/api/boards", map("slug", unique("sel-a"), "name", "A")).json().get("slug").asString();
        String boardB = http.post("/api/boards", map("slug", unique("sel-b"), "name", "B")).json().get("slug").asString();
        String cursor = get("/api/sessions/" + a + "/messages?limit=1", null).json().get("next_cursor").asString();
        String[][] pairs = {
                {"/api/sessions?source=" + source + "&limit=20", "/api/sessions?source=" + source + "&limit=50"},
                {"/api/sessions?source=" + source, "/api/sessions?source=" + source + "&include_empty=true"},
                {"/api/sessions?source=" + source, "/api/sessions"},
                {"/api/sessions/" + a + "/messages", "/api/sessions/" + b + "/messages"},
                {"/api/sessions/" + a + "/messages?limit=1", "/api/sessions/" + a + "/messages?limit=1&cursor=" + cursor},
                {"/api/boards/" + boardA + "/tasks", "/api/boards/" + boardB + "/tasks"},
                {"/api/boards/" + boardA + "/tasks", "/api/boards/" + boardA + "/tasks?status=ready"},
                {"/api/projects?limit=5", "/api/projects?limit=6"}};
        for (String[] pair : pairs) {
            String first = revalidates(pair[0]);
            Http.Response other = get(pair[1], first);
            assertThat(other.status()).as(pair[1] + " with the ETag of " + pair[0]).isEqualTo(200);
            assertThat(other.header("ETag")).isNotEqualTo(first);
        }
    }

    @Test
    void aWriteByAnotherProcessChangesTheEtagWithinTheTtl() throws Exception {
        String source = unique("outside");
        String session = source + "_s";
        http.post("/api/sessions", map("id", session, "source", source, "title", "before"));
        http.post("/api/sessions/" + session + "/messages", map("role", "user", "content", "x"));
        String sidebar = "/api/sessions?source=" + source;
        String etag = revalidates(sidebar);
        outsideWrite("UPDATE sessions SET title = 'after' WHERE id = '" + session + "'");
        Http.Response r = await().atMost(java.time.Duration.ofSeconds(3)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> get(sidebar, etag), response -> response.status() != 304);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("items").get(0).get("title").asString()).isEqualTo("after");
    }

    @Test
    void boardTaskListsAnswer304UntilATaskChangesByAnyone() throws Exception {
        String board = unique("etag").toLowerCase().replace('_', '-');
        assertThat(http.post("/api/boards", map("slug", board, "name", "ETags")).status()).isEqualTo(201);
        String task = http.post("/api/boards/" + board + "/tasks", map("title", "one", "status", "ready")).json().get("id").asString();
        String tasks = "/api/boards/" + board + "/tasks";
        String etag = revalidates(tasks);

        assertThat(http.post("/api/boards/" + board + "/claims", map("worker", "w")).status()).isEqualTo(200);
        Http.Response claimed = get(tasks, etag);
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.json().get("items").get(0).get("status").asString()).isEqualTo("running");

        String afterClaim = revalidates(tasks);
        outsideWrite("UPDATE tasks SET title = 'renamed outside' WHERE id = '" + task + "'");
        Http.Response outside = get(tasks, afterClaim);
        assertThat(outside.status()).as("task lists read the version every time").isEqualTo(200);
        assertThat(outside.json().get("items").get(0).get("title").asString()).isEqualTo("renamed outside");
    }

    @Test
    void aStaleOrForeignEtagGetsTheFullPage() {
        Http.Response r = get("/api/projects", "\"sessions-0\"");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("items")).isNotNull();
    }
}
