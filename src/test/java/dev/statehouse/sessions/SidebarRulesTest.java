package dev.statehouse.sessions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.awaitility.Awaitility.await;

/**
 * The sidebar's rules on the shapes real agent data has (issue 14), one case each. Times are in
 * 2031 so these rows are the newest and sit on the first page whatever other tests wrote.
 */
class SidebarRulesTest extends ServerTestSupport {

    private static String at(int minute) {
        return String.format("2031-01-01T%02d:%02d:00Z", minute / 60, minute % 60);
    }

    private void session(String id, String source, String parent, int startMinute) {
        Http.Response r = http.post("/api/sessions", map("id", id, "source", source, "parent_session_id", parent,
                "title", "title of " + id, "started_at", at(startMinute)));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    }

    private void message(String id, int minute) {
        assertThat(http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", "m", "timestamp", at(minute))).status())
                .isEqualTo(201);
    }

    private void end(String id, String reason, int minute) {
        assertThat(http.patch("/api/sessions/" + id, map("end_reason", reason, "ended_at", at(minute))).status()).isEqualTo(200);
    }

    private static long epoch(int minute) {
        return Instant.parse(at(minute)).getEpochSecond();
    }

    /** Outside writes reach the sidebar within its cache's TTL (1 s): asks again for up to 5 s. */
    private static <T> T eventually(Supplier<T> read, Predicate<T> done) {
        java.util.concurrent.atomic.AtomicReference<T> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            return await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(100))
                    .until(() -> {
                        last.set(read.get());
                        return last.get();
                    }, done::test);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return last.get(); // the caller's assertion says what it got
        }
    }

    private List<JsonNode> rows(String query) {
        Http.Response r = http.get("/api/sessions?limit=200&" + query);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        r.json().get("items").forEach(rows::add);
        return rows;
    }

    private static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(n -> n.get("id").asString()).toList();
    }

    @TestFactory
    Stream<DynamicTest> rules() {
        return Stream.of(
                dynamicTest("an empty last segment is not the tip", () -> {
                    String src = unique("tail"), a = src + "_a", b = src + "_b";
                    session(a, src, null, 0);
                    message(a, 5);
                    message(a, 6);
                    end(a, "compression", 10);
                    session(b, src, a, 11); // the agent opened the next segment, nothing said yet
                    List<JsonNode> rows = rows("source=" + src);
                    assertThat(ids(rows)).containsExactly(a);
                    assertThat(rows.get(0).get("message_count").asLong()).isEqualTo(2);
                    assertThat(rows.get(0).get("segment_count").asInt()).isEqualTo(2);
                    assertThat(rows.get(0).get("last_activity").asString()).isEqualTo(at(6));
                }),
                dynamicTest("a resumed older segment is the tip, not the deeper stale one", () -> {
                    String src = unique("resumed"), a = src + "_a", b = src + "_b", c = src + "_c";
                    session(a, src, null, 0);
                    message(a, 1);
                    end(a, "compression", 2);
                    session(b, src, a, 3);
                    message(b, 4);
                    end(b, "compression", 5);
                    session(c, src, b, 6);
                    message(c, 7);
                    message(b, 30); // the user went back to b
                    List<JsonNode> rows = rows("source=" + src);
                    assertThat(ids(rows)).containsExactly(b);
                    assertThat(rows.get(0).get("lineage_root_id").asString()).isEqualTo(a);
                    assertThat(rows.get(0).get("last_activity").asString()).isEqualTo(at(30));
                    message(c, 40); // and on to c again
                    assertThat(ids(rows("source=" + src))).containsExactly(c);
                }),
                dynamicTest("a continuation in another source is its own row, a child_session", () -> {
                    String cli = unique("cli"), tg = unique("tg"), p = cli + "_p", q = tg + "_q";
                    session(p, cli, null, 0);
                    message(p, 1);
                    end(p, "cli_close", 2);
                    session(q, tg, p, 3);
                    message(q, 4);
                    List<JsonNode> cliRows = rows("source=" + cli);
                    assertThat(ids(cliRows)).containsExactly(p);
                    assertThat(cliRows.get(0).get("segment_count").asInt()).isEqualTo(1);
                    List<JsonNode> tgRows = rows("source=" + tg);
                    assertThat(ids(tgRows)).containsExactly(q);
                    assertThat(tgRows.get(0).get("relationship_type").asString()).isEqualTo("child_session");
                    assertThat(tgRows.get(0).get("parent_session_id").asString()).isEqualTo(p);
                    assertThat(tgRows.get(0).get("title").asString()).isEqualTo("title of " + q);
                }),
                dynamicTest("a child that started before its parent ended is its own row", () -> {
                    String src = unique("late"), p = src + "_p", c = src + "_c";
                    session(p, src, null, 0);
                    message(p, 1);
                    session(c, src, p, 5);
                    message(c, 6);
                    end(p, "compression", 10);
                    List<JsonNode> rows = rows("source=" + src);
                    assertThat(ids(rows)).containsExactly(c, p); // c's message (minute 6) is newer than p's (minute 1)
                    assertThat(rows.get(0).get("relationship_type").asString()).isEqualTo("child_session");
                    assertThat(rows.get(1).get("segment_count").asInt()).isEqualTo(1);
                }),
                dynamicTest("ending a session is no activity: recency is the newest message", () -> {
                    String src = unique("recency"), early = src + "_early", later = src + "_later";
                    session(early, src, null, 0);
                    message(early, 10);
                    session(later, src, null, 1);
                    message(later, 20);
                    end(early, "user_exit", 30); // closed minutes after its last message
                    List<JsonNode> rows = rows("source=" + src);
                    assertThat(ids(rows)).containsExactly(later, early);
                    assertThat(rows.get(1).get("last_activity").asString()).isEqualTo(at(10));
                }),
                dynamicTest("an empty session is hidden unless include_empty", () -> {
                    String src = unique("empty"), e = src + "_e", full = src + "_f";
                    session(e, src, null, 50);
                    session(full, src, null, 0);
                    message(full, 1);
                    assertThat(ids(rows("source=" + src))).containsExactly(full);
                    assertThat(ids(rows("source=" + src + "&include_empty=true"))).containsExactly(e, full);
                }),
                dynamicTest("sessions and messages another process writes are listed, counted and ordered", () -> {
                    String src = unique("outside"), a = src + "_a", b = src + "_b", c = src + "_c";
                    session(a, src, null, 0);
                    message(a, 1);
                    end(a, "compression", 2);
                    session(b, src, a, 3);
                    message(b, 4);
                    // another process: a session of its own, then its messages one transaction each, no counters kept
                    outsideWrite("INSERT INTO sessions(id, source, title, started_at, last_activity_at) VALUES ('" + c + "', '" + src
                            + "', 'written outside', " + epoch(10) + ", " + epoch(10) + ")");
                    for (int minute : new int[] {12, 14, 13}) {
                        outsideWrite("INSERT INTO messages(session_id, role, content, timestamp) VALUES ('" + c + "', 'user', 'm', "
                                + epoch(minute) + ")");
                    }
                    // and a message into the chain's first segment, newer than the tip's: it becomes the tip
                    outsideWrite("INSERT INTO messages(session_id, role, content, timestamp) VALUES ('" + a + "', 'user', 'back', "
                            + epoch(30) + ")");
                    List<JsonNode> rows = eventually(() -> rows("source=" + src), r -> ids(r).size() == 2 && ids(r).get(0).equals(a));
                    assertThat(ids(rows)).containsExactly(a, c);
                    assertThat(rows.get(0).get("lineage_root_id").asString()).isEqualTo(a);
                    assertThat(rows.get(0).get("message_count").asLong()).as("the tip's").isEqualTo(2);
                    assertThat(rows.get(0).get("last_activity").asString()).isEqualTo(at(30));
                    assertThat(rows.get(1).get("message_count").asLong()).isEqualTo(3);
                    assertThat(rows.get(1).get("last_activity").asString()).isEqualTo(at(14));
                    assertThat(http.get("/api/sessions/" + c).json().get("message_count").asLong()).isEqualTo(3);
                    // the API takes it from there
                    message(c, 40);
                    assertThat(ids(rows("source=" + src))).containsExactly(c, a);
                    assertThat(rows("source=" + src).get(0).get("message_count").asLong()).isEqualTo(4);
                }),
                dynamicTest("an untitled one-turn CLI session is hidden and a TUI chain shows its tip's title, as in the reference", () -> {
                    // in a project of their own: other tests' (and other classes') CLI sessions stay out of these lists
                    String project = unique("p"), once = unique("once"), twice = unique("twice"), named = unique("named");
                    assertThat(http.post("/api/projects", map("id", project, "name", project)).status()).isEqualTo(201);
                    for (String id : List.of(once, twice)) {
                        assertThat(http.post("/api/sessions", map("id", id, "source", "cli", "project_id", project, "started_at", "2001-01-01T00:00:00Z"))
                                .status()).isEqualTo(201);
                    }
                    assertThat(http.post("/api/sessions", map("id", named, "source", "cli", "title", "Named", "project_id", project,
                            "started_at", "2001-01-01T00:00:00Z")).status()).isEqualTo(201);
                    for (String id : List.of(once, twice, twice, named)) {
                        assertThat(http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", "m", "timestamp",
                                "2001-01-01T00:01:00Z")).status()).isEqualTo(201);
                    }
                    assertThat(ids(rows("project=" + project))).containsExactlyInAnyOrder(twice, named);
                    assertThat(ids(rows("project=" + project + "&include_empty=true"))).containsExactlyInAnyOrder(once, twice, named);
                    String first = unique("tui1"), second = unique("tui2");
                    session(first, "tui", null, 210);
                    message(first, 211);
                    end(first, "compression", 212);
                    session(second, "tui", first, 213);
                    message(second, 214);
                    JsonNode row = rows("source=tui").stream().filter(r -> r.get("lineage_root_id").asString().equals(first))
                            .findFirst().orElseThrow();
                    assertThat(row.get("id").asString()).isEqualTo(second);
                    assertThat(row.get("title").asString()).isEqualTo("title of " + second);
                }),
                dynamicTest("a background source is hidden unless asked for", () -> {
                    String id = unique("cronjob");
                    session(id, "cron", null, 100);
                    message(id, 101);
                    assertThat(ids(rows(""))).doesNotContain(id);
                    assertThat(ids(rows("source=cron"))).contains(id);
                    assertThat(ids(rows("include_background=true"))).contains(id);
                }));
    }
}
