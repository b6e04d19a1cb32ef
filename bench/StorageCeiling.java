import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The storage ceiling: the service's hottest queries over raw JDBC in one JVM (no HTTP, no JSON),
 * one connection per thread, at 1 and 16 threads. Reads each row's columns as the service does.
 * "sidebar query" is the sidebar as first written (issue 13), kept so earlier figures compare;
 * "sidebar statement" is the one the service runs now.
 * usage: java -cp sqlite-jdbc.jar bench/StorageCeiling.java DB [seconds]
 */
public class StorageCeiling {

    static final String SIDEBAR = """
            SELECT tip.id, COALESCE(head.title, tip.title), tip.source, tip.model, tip.project_id, head.started_at,
                   head.lineage_last_activity, tip.ended_at, tip.end_reason, tip.message_count, tip.tool_call_count,
                   tip.input_tokens, tip.output_tokens, tip.pinned, tip.archived, head.id, head.lineage_segments,
                   head.parent_session_id, parent.title
            FROM sessions head INDEXED BY idx_sessions_sidebar
            JOIN sessions tip ON tip.id = head.lineage_tip_id
            LEFT JOIN sessions parent ON parent.id = head.parent_session_id
            WHERE head.lineage_root_id = head.id AND tip.archived = 0
            ORDER BY head.lineage_last_activity DESC, head.id DESC LIMIT 51""";
    /**
     * The sidebar's statement as the service runs it on SQLite today (SidebarRepository with the
     * engine's heads, no filter, the default background sources): the rules added since the query
     * above (the CLI rule, background sources, archived, empty chains) are part of its cost. Prepared
     * once per connection and reused, as the service's statement cache does; the query above is
     * prepared for every run, as it always was here.
     * SidebarPlanTest holds this text equal to the repository's.
     */
    static final String SIDEBAR_STATEMENT = """
            SELECT tip.id, CASE WHEN tip.source = 'tui' AND tip.title IS NOT NULL THEN tip.title
                                ELSE COALESCE(head.title, tip.title) END AS title, tip.source, tip.model, tip.project_id,
                   head.started_at, head.lineage_last_activity AS last_activity, tip.ended_at, tip.end_reason,
                   tip.message_count, tip.tool_call_count, tip.input_tokens, tip.output_tokens,
                   tip.pinned, tip.archived, head.id AS root_id, head.lineage_segments AS segments,
                   head.parent_session_id, parent.title AS parent_title
            FROM sessions head INDEXED BY idx_sessions_sidebar
            JOIN sessions tip ON tip.id = head.lineage_tip_id
            LEFT JOIN sessions parent ON parent.id = head.parent_session_id
            WHERE head.lineage_root_id = head.id
              AND (CAST(? AS TEXT) IS NULL OR tip.source = ?)
              AND (CAST(? AS TEXT) IS NULL OR tip.project_id = ?)
              AND (? OR tip.archived = 0)
              AND (? OR head.lineage_messages > 0)
              AND (? OR head.source <> 'cli' OR head.lineage_segments > 1
                   OR COALESCE(lower(trim(head.title)), '') NOT IN ('', 'untitled', 'cli', 'cli session')
                   OR (SELECT COUNT(*) FROM messages m WHERE m.session_id = head.id AND m.role = 'user') >= 2)
              AND (CAST(? AS TEXT) IS NOT NULL OR ? OR head.source NOT IN (?, ?, ?))
            ORDER BY head.lineage_last_activity DESC, head.id DESC
            LIMIT ?
            """;
    /** Its parameters for the first page with no filter: source, project, the flags, the background sources, 50 + 1 rows. */
    static final Object[] SIDEBAR_STATEMENT_ARGS = {null, null, null, null, false, false, false, null, false, "cron", "webhook", "kanban", 51};
    static final String MESSAGES = """
            SELECT id, session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason
            FROM messages WHERE session_id = ? ORDER BY timestamp DESC, id DESC LIMIT 51""";

    interface Op {
        void run(Connection c) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Op sidebar = c -> readAll(c.prepareStatement(SIDEBAR));
        // prepared once per connection and reused, as the service's statement cache does (storage/StatementCache)
        Map<Connection, PreparedStatement> kept = new ConcurrentHashMap<>();
        Op statement = c -> {
            PreparedStatement ps = kept.get(c);
            if (ps == null) {
                kept.put(c, ps = c.prepareStatement(SIDEBAR_STATEMENT));
            }
            for (int i = 0; i < SIDEBAR_STATEMENT_ARGS.length; i++) {
                ps.setObject(i + 1, SIDEBAR_STATEMENT_ARGS[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                readRows(rs);
            }
        };
        Op messages = c -> {
            PreparedStatement ps = c.prepareStatement(MESSAGES);
            ps.setString(1, String.format("s_bench_%06d", ThreadLocalRandom.current().nextInt(10_000)));
            readAll(ps);
        };
        for (int threads : new int[] {1, 16}) {
            measure(db, "sidebar query (51 rows)", threads, seconds, sidebar);
            measure(db, "sidebar statement (51 rows)", threads, seconds, statement);
            measure(db, "message page query (51 rows)", threads, seconds, messages);
        }
    }

    static void readAll(PreparedStatement ps) throws Exception {
        try (ps; ResultSet rs = ps.executeQuery()) {
            readRows(rs);
        }
    }

    static void readRows(ResultSet rs) throws Exception {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= n; i++) {
                rs.getString(i);
            }
        }
    }

    static void measure(String db, String name, int threads, int seconds, Op op) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> all = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                List<Long> lat = new ArrayList<>();
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA busy_timeout=5000");
                    }
                    long warm = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < warm) {
                        op.run(c);
                    }
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        op.run(c);
                        lat.add(System.nanoTime() - t0);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                all.add(lat.stream().mapToLong(Long::longValue).toArray());
            });
            workers.add(w);
            w.start();
        }
        Thread.sleep(1000L + seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf("  %-30s threads=%-2d ops/s=%8.0f p50=%6.3f ms p99=%6.3f ms%n", name, threads,
                merged.length / (double) seconds, merged[merged.length / 2] / 1e6, merged[(int) (merged.length * 0.99)] / 1e6);
    }
}
