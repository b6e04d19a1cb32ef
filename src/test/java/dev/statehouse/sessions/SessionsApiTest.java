package dev.statehouse.sessions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

class SessionsApiTest extends ServerTestSupport {

    private JsonNode create(Object... fields) {
        Http.Response r = http.post("/api/sessions", map(fields));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json();
    }

    private void end(String id, String reason, String at) {
        Http.Response r = http.patch("/api/sessions/" + id, map("end_reason", reason, "ended_at", at));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }

    /** The sidebar with empty chains too: these tests are about lineage, paging and filters, and write no messages. */
    private List<JsonNode> sidebar(String query) {
        Http.Response r = http.get("/api/sessions?include_empty=true&" + query);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        r.json().get("items").forEach(rows::add);
        return rows;
    }

    private JsonNode row(List<JsonNode> rows, String id) {
        return rows.stream().filter(n -> n.get("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no sidebar row " + id + " in " + rows));
    }

    @Test
    void chainOfThreeCompressionSegmentsCollapsesToOneRowAndBranchStaysSeparate() {
        String src = unique("lin");
        String a = unique("a"), b = unique("b"), c = unique("c"), branch = unique("br");
        create("id", a, "source", src, "title", "Refactor parser", "model", "m-1", "started_at", "2026-03-01T10:00:00Z");
        end(a, "compression", "2026-03-01T11:00:00Z");
        create("id", b, "source", src, "parent_session_id", a, "model", "m-2", "started_at", "2026-03-01T11:00:00Z");
        end(b, "cli_close", "2026-03-01T12:00:00Z");
        create("id", c, "source", src, "parent_session_id", b, "model", "m-3", "started_at", "2026-03-01T12:05:00Z");
        // started before its parent ended: a branch (sub-agent), not a continuation
        create("id", branch, "source", src, "parent_session_id", b, "title", "Sub task", "started_at", "2026-03-01T11:30:00Z");
        assertThat(http.post("/api/sessions/" + c + "/messages", map("role", "user", "content", "go on",
                "timestamp", "2026-03-01T13:00:00Z")).status()).isEqualTo(201);

        List<JsonNode> rows = sidebar("source=" + src);
        assertThat(rows).hasSize(2);
        JsonNode chain = rows.get(0);
        assertThat(chain.get("id").asString()).isEqualTo(c);
        assertThat(chain.get("title").asString()).isEqualTo("Refactor parser");
        assertThat(chain.get("started_at").asString()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(chain.get("model").asString()).isEqualTo("m-3");
        assertThat(chain.get("message_count").asLong()).isEqualTo(1);
        assertThat(chain.get("last_activity").asString()).isEqualTo("2026-03-01T13:00:00Z");
        assertThat(chain.get("lineage_root_id").asString()).isEqualTo(a);
        assertThat(chain.get("lineage_tip_id").asString()).isEqualTo(c);
        assertThat(chain.get("segment_count").asInt()).isEqualTo(3);
        assertThat(chain.get("relationship_type").asString()).isEqualTo("root");

        JsonNode sub = row(rows, branch);
        assertThat(sub.get("relationship_type").asString()).isEqualTo("child_session");
        assertThat(sub.get("parent_session_id").asString()).isEqualTo(b);
        assertThat(sub.get("parent_title").isNull()).isTrue(); // b has no title of its own
        assertThat(sub.get("segment_count").asInt()).isEqualTo(1);
    }

    @Test
    void childOfASessionEndedForAnotherReasonIsABranch() {
        String src = unique("lin");
        String p = unique("p"), k = unique("k");
        create("id", p, "source", src, "title", "Parent", "started_at", "2026-03-02T10:00:00Z");
        end(p, "user_exit", "2026-03-02T10:10:00Z");
        create("id", k, "source", src, "parent_session_id", p, "started_at", "2026-03-02T10:20:00Z");
        List<JsonNode> rows = sidebar("source=" + src);
        assertThat(rows).hasSize(2);
        assertThat(row(rows, k).get("relationship_type").asString()).isEqualTo("child_session");
        assertThat(row(rows, k).get("parent_title").asString()).isEqualTo("Parent");
    }

    @Test
    void deletingAParentRemovesItsMessagesAndOrphansChildren() {
        String src = unique("del");
        String p = unique("p"), k = unique("k");
        create("id", p, "source", src, "title", "Doomed", "started_at", "2026-03-03T10:00:00Z");
        create("id", k, "source", src, "parent_session_id", p, "started_at", "2026-03-03T10:05:00Z");
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/api/sessions/" + p + "/messages", map("role", "user", "content", "m" + i)).status()).isEqualTo(201);
        }
        assertThat(http.delete("/api/sessions/" + p).status()).isEqualTo(204);
        assertThat(http.get("/api/sessions/" + p).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM messages WHERE session_id = ?", Long.class, p)).isZero();
        JsonNode orphan = http.get("/api/sessions/" + k).json();
        assertThat(orphan.get("parent_session_id").isNull()).isTrue();
        List<JsonNode> rows = sidebar("source=" + src);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("relationship_type").asString()).isEqualTo("root");
        assertThat(rows.get(0).get("lineage_root_id").asString()).isEqualTo(k);
        assertThat(http.delete("/api/sessions/" + p).status()).isEqualTo(404);
    }

    @Test
    void sidebarPagesByCursorWithoutGapsOrDuplicates() {
        String src = unique("page");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = unique("s" + i);
            create("id", id, "source", src, "started_at", "2026-04-01T10:0" + i + ":00Z");
            expected.add(0, id); // newest first
        }
        // two rows with the same activity time: the id breaks the tie
        String tieA = "tie_a_" + src, tieB = "tie_b_" + src;
        create("id", tieA, "source", src, "started_at", "2026-04-01T09:00:00Z");
        create("id", tieB, "source", src, "started_at", "2026-04-01T09:00:00Z");
        expected.add(tieB);
        expected.add(tieA);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response r = http.get("/api/sessions?include_empty=true&limit=3&source=" + src + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).isEqualTo(200);
            r.json().get("items").forEach(n -> seen.add(n.get("id").asString()));
            JsonNode next = r.json().get("next_cursor");
            cursor = next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(seen)).hasSize(9);
    }

    @Test
    void archivedSessionsAreHiddenUnlessAsked() {
        String src = unique("arc");
        String s = unique("s");
        create("id", s, "source", src);
        assertThat(http.patch("/api/sessions/" + s, map("archived", true, "pinned", true)).json().get("archived").asBoolean()).isTrue();
        assertThat(sidebar("source=" + src)).isEmpty();
        List<JsonNode> all = sidebar("source=" + src + "&include_archived=true");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("pinned").asBoolean()).isTrue();
    }

    @Test
    void firstEndReasonWinsAndTitleCanBeCleared() {
        String s = unique("s");
        create("id", s, "source", "cli", "title", "T", "started_at", "2026-05-01T00:00:00Z");
        end(s, "compression", "2026-05-01T01:00:00Z");
        end(s, "user_exit", "2026-05-01T02:00:00Z");
        JsonNode after = http.patch("/api/sessions/" + s, map("title", null)).json();
        assertThat(after.get("end_reason").asString()).isEqualTo("compression");
        assertThat(after.get("ended_at").asString()).isEqualTo("2026-05-01T01:00:00Z");
        assertThat(after.get("title").isNull()).isTrue();
    }

    @Test
    void messagesPageOldestFirstWithinAPageAndCountsStayConsistent() {
        String s = unique("s");
        create("id", s, "source", "cli", "started_at", "2026-06-01T00:00:00Z");
        for (int i = 0; i < 25; i++) {
            Object toolCalls = i % 5 == 0 ? List.of(map("id", "call" + i, "name", "grep"), map("id", "x" + i)) : null;
            Http.Response r = http.post("/api/sessions/" + s + "/messages", map("role", i % 2 == 0 ? "user" : "assistant",
                    "content", "msg " + i, "timestamp", String.format("2026-06-01T00:%02d:00Z", i), "token_count", 10,
                    "tool_calls", toolCalls));
            assertThat(r.status()).isEqualTo(201);
        }
        JsonNode session = http.get("/api/sessions/" + s).json();
        assertThat(session.get("message_count").asLong()).isEqualTo(25);
        assertThat(session.get("tool_call_count").asLong()).isEqualTo(10);
        assertThat(session.get("input_tokens").asLong()).isEqualTo(130);
        assertThat(session.get("output_tokens").asLong()).isEqualTo(120);
        assertThat(session.get("last_activity").asString()).isEqualTo("2026-06-01T00:24:00Z");

        List<String> all = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/api/sessions/" + s + "/messages?limit=10" + (before == null ? "" : "&cursor=" + before)).json();
            List<String> contents = new ArrayList<>();
            page.get("items").forEach(m -> contents.add(m.get("content").asString()));
            all.addAll(0, contents);
            before = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            pages++;
        } while (before != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("msg " + i);
        }
        assertThat(all).containsExactlyElementsOf(expected);
        JsonNode first = http.get("/api/sessions/" + s + "/messages?limit=1").json().get("items").get(0);
        assertThat(first.get("content").asString()).isEqualTo("msg 24");
        JsonNode withTools = http.get("/api/sessions/" + s + "/messages?limit=25").json().get("items").get(0);
        assertThat(withTools.get("tool_calls").isArray()).isTrue();
        assertThat(withTools.get("tool_calls").get(0).get("name").asString()).isEqualTo("grep");
    }

    @Test
    void projectsGroupSessionsAndDeletingAProjectUnassignsThem() {
        String src = unique("proj");
        String pid = unique("p");
        Http.Response created = http.post("/api/projects", map("id", pid, "name", "Agents", "color", "#112233"));
        assertThat(created.status()).isEqualTo(201);
        String s1 = unique("s"), s2 = unique("s"), child = unique("c");
        create("id", s1, "source", src, "project_id", pid);
        create("id", s2, "source", src);
        // a child with no project of its own inherits its parent's
        assertThat(create("id", child, "source", src, "parent_session_id", s1).get("project_id").asString()).isEqualTo(pid);
        assertThat(http.patch("/api/sessions/" + s2, map("project_id", pid)).status()).isEqualTo(200);
        assertThat(sidebar("source=" + src + "&project=" + pid)).hasSize(3);
        JsonNode project = http.get("/api/projects/" + pid).json();
        assertThat(project.get("session_count").asLong()).isEqualTo(3);
        Set<String> listed = new HashSet<>();
        http.get("/api/projects").json().get("items").forEach(p -> listed.add(p.get("id").asString()));
        assertThat(listed).contains(pid);

        JsonNode renamed = http.patch("/api/projects/" + pid, map("name", "Agents 2", "color", null)).json();
        assertThat(renamed.get("name").asString()).isEqualTo("Agents 2");
        assertThat(renamed.get("color").isNull()).isTrue();

        assertThat(http.delete("/api/projects/" + pid).status()).isEqualTo(204);
        assertThat(http.get("/api/sessions/" + s1).json().get("project_id").isNull()).isTrue();
        assertThat(sidebar("source=" + src + "&project=" + pid)).isEmpty();
        assertThat(sidebar("source=" + src)).hasSize(3);
        assertThat(http.get("/api/projects/" + pid).status()).isEqualTo(404);
    }
}
