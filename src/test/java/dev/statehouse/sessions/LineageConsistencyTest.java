package dev.statehouse.sessions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sidebar reads lineage the writers keep on the rows. An oracle derives the same rows from
 * scratch with a recursive walk over all sessions; after random creates, ends, deletes and
 * messages both must agree exactly.
 */
class LineageConsistencyTest extends ServerTestSupport {

    /**
     * The definition, evaluated from nothing but parent links, sources, end reasons, start times and
     * the messages table: continuations stay in their parent's source; the tip is the member with
     * messages whose newest message is newest (then depth, then id); recency is the chain's newest
     * message, else its newest start; with {@code include_empty} false, chains without messages are
     * left out.
     */
    private static final String ORACLE = """
            WITH RECURSIVE
            cont(id, pid) AS (
                SELECT c.id, c.parent_session_id FROM sessions c JOIN sessions p ON p.id = c.parent_session_id
                WHERE p.end_reason IN ('compression', 'cli_close') AND p.ended_at IS NOT NULL AND c.started_at >= p.ended_at
                  AND c.source = p.source),
            chain(root_id, id, depth) AS (
                SELECT s.id, s.id, 0 FROM sessions s WHERE s.source = ? AND NOT EXISTS (SELECT 1 FROM cont WHERE cont.id = s.id)
                UNION ALL
                SELECT chain.root_id, cont.id, chain.depth + 1 FROM chain JOIN cont ON cont.pid = chain.id),
            facts AS (
                SELECT chain.root_id, chain.id, chain.depth, s.started_at,
                       (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS n,
                       (SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = s.id) AS newest
                FROM chain JOIN sessions s ON s.id = chain.id),
            ranked AS (
                SELECT root_id, id,
                       ROW_NUMBER() OVER (PARTITION BY root_id
                                          ORDER BY n > 0 DESC, COALESCE(newest, started_at) DESC, depth DESC, id DESC) AS rn,
                       COUNT(*) OVER (PARTITION BY root_id) AS segments,
                       COALESCE(MAX(newest) OVER (PARTITION BY root_id), MAX(started_at) OVER (PARTITION BY root_id)) AS last_activity,
                       SUM(n) OVER (PARTITION BY root_id) AS messages
                FROM facts)
            SELECT r.id || '|' || r.root_id || '|' || r.segments || '|' || head.started_at
                   || '|' || COALESCE(head.parent_session_id, '-') || '|' || r.last_activity
            FROM ranked r JOIN sessions head ON head.id = r.root_id
            WHERE r.rn = 1 AND (? OR r.messages > 0)
            ORDER BY r.last_activity DESC, r.root_id DESC
            """;

    private List<String> api(String source, boolean includeEmpty) {
        List<String> rows = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/api/sessions?limit=37&include_archived=true&include_empty=" + includeEmpty + "&source=" + source
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode r : page.get("items")) {
                double started = Instant.parse(r.get("started_at").asString()).getEpochSecond();
                rows.add(r.get("id").asString() + "|" + r.get("lineage_root_id").asString() + "|" + r.get("segment_count").asInt()
                        + "|" + (long) started + "|" + (r.get("parent_session_id").isNull() ? "-" : r.get("parent_session_id").asString())
                        + "|" + Instant.parse(r.get("last_activity").asString()).getEpochSecond());
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        return rows;
    }

    private List<String> oracle(String source, boolean includeEmpty) {
        List<String> rows = new ArrayList<>();
        for (String r : jdbc.queryForList(ORACLE, String.class, source, includeEmpty)) {
            String[] f = r.split("\\|");
            rows.add(f[0] + "|" + f[1] + "|" + f[2] + "|" + (long) Double.parseDouble(f[3]) + "|" + f[4]
                    + "|" + (long) Double.parseDouble(f[5]));
        }
        return rows;
    }

    private void agree(String step, String... sources) {
        for (String source : sources) {
            for (boolean includeEmpty : new boolean[] {true, false}) {
                assertThat(api(source, includeEmpty)).as("%s, source %s, include_empty %s", step, source, includeEmpty)
                        .containsExactlyElementsOf(oracle(source, includeEmpty));
            }
        }
    }

    @Test
    void materializedLineageMatchesTheRecursiveDefinitionAfterRandomWrites() {
        Random random = new Random(7);
        String source = unique("orc");
        String other = unique("oth"); // a child sometimes continues in another source: a row of its own
        List<String> live = new ArrayList<>();
        List<String> open = new ArrayList<>();
        long clock = 1_800_000_000L;
        int n = 0;
        for (int step = 0; step < 400; step++) {
            int op = random.nextInt(10);
            clock += 1 + random.nextInt(50);
            if (op < 4 || live.isEmpty()) { // create, often as a child
                String id = source + "_" + n++;
                Object parent = !live.isEmpty() && random.nextInt(3) > 0 ? live.get(random.nextInt(live.size())) : null;
                // sometimes start before the parent ends: a branch, or a later continuation once it ends
                long start = clock - (random.nextInt(4) == 0 ? 200 : 0);
                Http.Response r = http.post("/api/sessions", map("id", id, "source", random.nextInt(5) == 0 ? other : source,
                        "parent_session_id", parent,
                        "started_at", Instant.ofEpochSecond(start).toString()));
                assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
                live.add(id);
                open.add(id);
            } else if (op < 7 && !open.isEmpty()) { // end, mostly by compression
                String id = open.remove(random.nextInt(open.size()));
                String reason = random.nextInt(4) == 0 ? "user_exit" : random.nextBoolean() ? "compression" : "cli_close";
                Http.Response r = http.patch("/api/sessions/" + id, map("end_reason", reason, "ended_at", Instant.ofEpochSecond(clock).toString()));
                assertThat(r.status()).isIn(200, 422);
            } else if (op < 9) { // a message somewhere
                String id = live.get(random.nextInt(live.size()));
                assertThat(http.post("/api/sessions/" + id + "/messages", map("role", "user", "content", "x",
                        "timestamp", Instant.ofEpochSecond(clock).toString())).status()).isEqualTo(201);
            } else { // delete, anywhere in a chain
                String id = live.remove(random.nextInt(live.size()));
                open.remove(id);
                assertThat(http.delete("/api/sessions/" + id).status()).isEqualTo(204);
            }
            if (step % 50 == 49) {
                agree("after step " + step, source, other);
            }
        }
        agree("at the end", source, other);
        List<String> rows = api(source, true);
        assertThat(rows.stream().filter(r -> !r.split("\\|")[2].equals("1")).count()).as("some chains formed").isGreaterThan(3);
    }

    @Test
    void aChildCreatedBeforeItsParentEndedJoinsTheChainWhenItEnds() {
        String source = unique("late");
        String p = source + "_p", c = source + "_c";
        assertThat(http.post("/api/sessions", map("id", p, "source", source, "started_at", "2026-07-01T00:00:00Z")).status()).isEqualTo(201);
        assertThat(http.post("/api/sessions", map("id", c, "source", source, "parent_session_id", p,
                "started_at", "2026-07-01T02:00:00Z")).status()).isEqualTo(201);
        assertThat(http.get("/api/sessions?include_empty=true&source=" + source).json().get("items")).hasSize(2);
        http.patch("/api/sessions/" + p, map("end_reason", "compression", "ended_at", "2026-07-01T01:00:00Z"));
        JsonNode rows = http.get("/api/sessions?include_empty=true&source=" + source).json().get("items");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("id").asString()).isEqualTo(c);
        assertThat(rows.get(0).get("segment_count").asInt()).isEqualTo(2);
        // deleting the head splits nothing off: the continuation heads its own chain now
        assertThat(http.delete("/api/sessions/" + p).status()).isEqualTo(204);
        rows = http.get("/api/sessions?include_empty=true&source=" + source).json().get("items");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("lineage_root_id").asString()).isEqualTo(c);
        assertThat(rows.get(0).get("segment_count").asInt()).isEqualTo(1);
    }
}
