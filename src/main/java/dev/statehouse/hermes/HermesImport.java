package dev.statehouse.hermes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.statehouse.domain.StoredJson;
import dev.statehouse.sessions.SessionService;
import dev.statehouse.storage.ResourceDatabases;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a hermes agent's {@code state.db}: sessions (lineage, end reasons, titles, models, token
 * counts, archived flag) and their messages (roles, tool calls, timestamps). Rewound messages
 * ({@code active = 0}) are left out, and one imported earlier and rewound since is removed. Writes
 * go in batches of {@value #BATCH} rows, one transaction each; counters and lineage are recomputed
 * once at the end.
 */
@Service
public class HermesImport {

    static final int BATCH = 5_000;
    static final String KEY_PREFIX = "hermes:";
    /** Statehouse's session ids (the API addresses no other): others are skipped and counted. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** What an import did. */
    public record Summary(int schemaVersion, int sessions, int sessionsWritten, int sessionsSkipped, long messages,
                          long messagesNew, long messagesChanged, long messagesRemoved, long rewoundLeftOut,
                          long messagesSkipped, long toolCallsAsText, double seconds) {
        public double messagesPerSecond() {
            return seconds > 0 ? messages / seconds : 0;
        }
    }

    /** Told how far the import is: a phase, rows done, rows in all. */
    public interface Progress {
        void update(String phase, long done, long total);
    }

    private final ResourceDatabases databases;
    private final HermesImportRepository repo;
    private final SessionService sessions;
    private final TransactionTemplate tx;

    public HermesImport(ResourceDatabases databases, HermesImportRepository repo, SessionService sessions, TransactionTemplate tx) {
        this.databases = databases;
        this.repo = repo;
        this.sessions = sessions;
        this.tx = tx;
    }

    public Summary run(Path source, Progress progress) throws SQLException {
        long start = System.nanoTime();
        try (ResourceDatabases.ReadSnapshot snapshot = databases.readSnapshot(source)) {
            Connection src = snapshot.connection();
            HermesSchema schema = HermesSchema.of(src, source);
            Set<String> imported = new HashSet<>();
            int[] sessionCounts = importSessions(src, schema, imported, progress);
            long before = repo.importedMessages(KEY_PREFIX);
            long[] messageCounts = importMessages(src, schema, imported, progress);
            long after = repo.importedMessages(KEY_PREFIX);
            long removed = messageCounts[3];
            long added = after - before + removed;
            progress.update("lineage", 0, 1);
            tx.executeWithoutResult(s -> {
                List<Object[]> ids = imported.stream().map(id -> new Object[] {id}).toList();
                for (int i = 0; i < ids.size(); i += BATCH) {
                    repo.recount(ids.subList(i, Math.min(ids.size(), i + BATCH)));
                }
                sessions.relineageAll();
            });
            progress.update("lineage", 1, 1);
            return new Summary(schema.version(), sessionCounts[0], sessionCounts[1], sessionCounts[2], messageCounts[0],
                    added, Math.max(0, messageCounts[1] - added), removed, messageCounts[2], messageCounts[4], messageCounts[5],
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** @return {sessions read, rows written, skipped} */
    private int[] importSessions(Connection src, HermesSchema schema, Set<String> imported, Progress progress) throws SQLException {
        String sql = "SELECT id, source, " + String.join(", ", schema.session("user_id"), schema.session("model"),
                schema.session("title"), "started_at", schema.session("ended_at"), schema.session("end_reason"),
                schema.session("tool_call_count"), schema.session("input_tokens"), schema.session("output_tokens"),
                schema.session("archived"), schema.session("parent_session_id")) + " FROM sessions ORDER BY started_at, id";
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> parents = new ArrayList<>();
        int skipped = 0;
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String id = rs.getString("id");
                String sourceName = rs.getString("source");
                if (id == null || !ID.matcher(id).matches() || sourceName == null) {
                    skipped++;
                    continue;
                }
                double started = rs.getDouble("started_at");
                Object ended = rs.getObject("ended_at");
                rows.add(new Object[] {id, sourceName, rs.getString("user_id"), rs.getString("model"), rs.getString("title"),
                        started, ended == null ? null : ((Number) ended).doubleValue(), ended == null ? null : rs.getString("end_reason"),
                        rs.getLong("tool_call_count"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getInt("archived") == 0 ? 0 : 1});
                String parent = rs.getString("parent_session_id");
                if (parent != null) {
                    parents.add(new Object[] {id, parent});
                }
                imported.add(id);
            }
        }
        int total = rows.size();
        int written = 0;
        for (int i = 0; i < total; i += BATCH) {
            List<Object[]> batch = rows.subList(i, Math.min(total, i + BATCH));
            Integer w = tx.execute(s -> repo.upsertSessions(batch));
            written += w == null ? 0 : w;
            progress.update("sessions", Math.min(total, i + BATCH), total);
        }
        for (int i = 0; i < parents.size(); i += BATCH) {
            List<Object[]> batch = parents.subList(i, Math.min(parents.size(), i + BATCH));
            tx.executeWithoutResult(s -> repo.linkParents(batch));
        }
        return new int[] {total + skipped, written, skipped};
    }

    /**
     * @return {messages read, rows written, rewound left out, removed, skipped, tool_calls kept as text}. A
     * {@code tool_calls} that is not one JSON value is kept as a JSON string holding its text (the API
     * emits stored tool calls as JSON: they must be JSON), and counted.
     */
    private long[] importMessages(Connection src, HermesSchema schema, Set<String> imported, Progress progress) throws SQLException {
        long total;
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
            total = rs.next() ? rs.getLong(1) : 0;
        }
        String sql = "SELECT id, session_id, role, " + String.join(", ", schema.message("content"), schema.message("tool_call_id"),
                schema.message("tool_calls"), schema.message("tool_name"), "timestamp", schema.message("token_count"),
                schema.message("finish_reason"), schema.message("active")) + " FROM messages ORDER BY id";
        long read = 0, written = 0, rewound = 0, removed = 0, skipped = 0, asText = 0;
        List<Object[]> upserts = new ArrayList<>(BATCH);
        List<Object[]> removals = new ArrayList<>();
        try (Statement s = src.createStatement()) {
            s.setFetchSize(BATCH);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    read++;
                    String key = KEY_PREFIX + rs.getLong("id");
                    String session = rs.getString("session_id");
                    Object active = rs.getObject("active");
                    if (active != null && ((Number) active).intValue() == 0) {
                        rewound++;
                        removals.add(new Object[] {key});
                    } else if (session == null || !imported.contains(session) || rs.getString("role") == null) {
                        skipped++;
                    } else {
                        Object tokens = rs.getObject("token_count");
                        String toolCalls = rs.getString("tool_calls");
                        if (toolCalls != null && !StoredJson.isJson(toolCalls)) {
                            toolCalls = StoredJson.quote(toolCalls);
                            asText++;
                        }
                        upserts.add(new Object[] {session, rs.getString("role"), rs.getString("content"), rs.getString("tool_call_id"),
                                toolCalls, rs.getString("tool_name"), rs.getDouble("timestamp"),
                                tokens == null ? null : ((Number) tokens).longValue(), rs.getString("finish_reason"), key});
                    }
                    if (upserts.size() >= BATCH) {
                        written += write(upserts);
                        progress.update("messages", read, total);
                    }
                }
            }
        }
        written += write(upserts);
        for (int i = 0; i < removals.size(); i += BATCH) {
            List<Object[]> batch = removals.subList(i, Math.min(removals.size(), i + BATCH));
            Integer r = tx.execute(st -> repo.removeMessages(batch));
            removed += r == null ? 0 : r;
        }
        progress.update("messages", read, total);
        return new long[] {read, written, rewound, removed, skipped, asText};
    }

    private int write(List<Object[]> upserts) {
        if (upserts.isEmpty()) {
            return 0;
        }
        List<Object[]> batch = List.copyOf(upserts);
        upserts.clear();
        Integer w = tx.execute(s -> repo.upsertMessages(batch));
        return w == null ? 0 : w;
    }
}
