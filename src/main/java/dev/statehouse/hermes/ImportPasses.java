package dev.statehouse.hermes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.statehouse.domain.Ids;
import dev.statehouse.domain.StoredJson;
import org.springframework.transaction.support.TransactionTemplate;


/**
 * One import's passes over an open snapshot of the source, each streaming it in
 * {@value #BATCH}-row batches (one transaction each) and nothing kept per row beyond a
 * batch: recognising the source, sessions, parent links, messages joined with their session, and
 * the counters of the sessions brought in. It counts what it did for the summary.
 */
final class ImportPasses {

    /** Rows per batch (one transaction each). */
    static final int BATCH = 5_000;
    /** Sessions of the file looked up to recognise a source imported before. */
    static final int RECOGNISE = 2_000;
    /** Import keys are {@code hermes:<source>:<message id>}. */
    static final String KEY_PREFIX = "hermes:";

    final Connection src;
    final HermesSchema schema;
    final HermesImportRepository repo;
    final TransactionTemplate tx;
    String identity;
    String keyPrefix;
    long sessionsRead, sessionsWritten, messagesRead, messagesWritten, rewound, removed, asText;
    final ImportTally sessionsSkipped = new ImportTally();
    final ImportTally elsewhere = new ImportTally();
    final ImportTally messagesSkipped = new ImportTally();

    ImportPasses(Connection src, HermesSchema schema, HermesImportRepository repo, TransactionTemplate tx) {
        this.src = src;
        this.schema = schema;
        this.repo = repo;
        this.tx = tx;
    }

    /** {identity, sessions recognised}: the source of earlier imports that created the file's oldest sessions, or a new one. */
    String[] recognise() throws SQLException {
        List<Object[]> oldest = new ArrayList<>();
        try (Statement s = src.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, started_at FROM sessions ORDER BY rowid LIMIT " + RECOGNISE)) {
            while (rs.next()) {
                oldest.add(new Object[] {rs.getString(1), rs.getDouble(2)});
            }
        }
        Map<String, Integer> sources = tx.execute(st -> repo.sourcesOf(oldest));
        Optional<Map.Entry<String, Integer>> best = (sources == null ? Map.<String, Integer>of() : sources).entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        identity = best.map(Map.Entry::getKey).orElseGet(() -> Ids.random("", 6));
        keyPrefix = KEY_PREFIX + identity + ":";
        return new String[] {identity, Integer.toString(best.map(Map.Entry::getValue).orElse(0))};
    }

    /** The source's session columns, in this order (read by index: by label costs a search per value). */
    private String sessionColumns() {
        return "id, source, " + String.join(", ", schema.session("user_id"), schema.session("model"), schema.session("title"),
                "started_at", schema.session("ended_at"), schema.session("end_reason"), schema.session("tool_call_count"),
                schema.session("input_tokens"), schema.session("output_tokens"), schema.session("archived"),
                schema.session("parent_session_id"));
    }

    /** Why the session in the current row is left out, or null (columns of {@link #sessionColumns}). */
    private static String refused(ResultSet rs) throws SQLException {
        Object ended = rs.getObject(7);
        return ImportRules.session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ended == null ? null : rs.getString(8));
    }

    void sessions(ImportProgress progress) throws SQLException {
        long total = count("sessions");
        List<Object[]> batch = new ArrayList<>(BATCH);
        try (Statement s = src.createStatement()) {
            s.setFetchSize(BATCH);
            try (ResultSet rs = s.executeQuery("SELECT " + sessionColumns() + " FROM sessions ORDER BY rowid")) {
                while (rs.next()) {
                    sessionsRead++;
                    String id = rs.getString(1);
                    String why = refused(rs);
                    if (why != null) {
                        sessionsSkipped.add(why, String.valueOf(id));
                        continue;
                    }
                    Object ended = rs.getObject(7);
                    batch.add(new Object[] {id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getDouble(6),
                            ended == null ? null : ((Number) ended).doubleValue(), ended == null ? null : rs.getString(8),
                            rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getInt(12) == 0 ? 0 : 1, identity});
                    if (batch.size() >= BATCH) {
                        writeSessions(batch);
                        progress.update("sessions", sessionsRead, total);
                    }
                }
            }
        }
        writeSessions(batch);
        progress.update("sessions", sessionsRead, total);
    }

    private void writeSessions(List<Object[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object[]> rows = List.copyOf(batch);
        batch.clear();
        Integer w = tx.execute(s -> {
            Map<String, String> existing = repo.existing(rows.stream().map(r -> (String) r[0]).toList());
            existing.forEach((id, from) -> {
                if (!from.equals(identity)) {
                    elsewhere.add(from.isEmpty() ? "written through the API or by another process" : "created by an import of another source",
                            id);
                }
            });
            return repo.upsertSessions(rows);
        });
        sessionsWritten += w == null ? 0 : w;
    }

    /** Parent links, once every session is in (a parent may come after its child in the file). */
    void parents() throws SQLException {
        inBatches("WHERE parent_session_id IS NOT NULL", rs -> new Object[] {rs.getString(1), rs.getString(13)}, repo::linkParents);
    }

    /**
     * Messages in id order (columns read by index, in the order of the query), each with its session's columns (a join: whether the session was
     * imported is decided again from the source, not remembered, so memory stays flat).
     */
    void messages(ImportProgress progress) throws SQLException {
        long total = count("messages");
        String sql = "SELECT m.id AS id, m.session_id AS session_id, m.role AS role, m.timestamp AS timestamp, " + String.join(", ", schema.message("m", "content"),
                schema.message("m", "tool_call_id"), schema.message("m", "tool_calls"), schema.message("m", "tool_name"),
                schema.message("m", "token_count"), schema.message("m", "finish_reason"), schema.message("m", "active"))
                + ", s.id AS s_id, s.source AS s_source, " + String.join(", ", schema.session("s", "user_id"),
                schema.session("s", "model"), schema.session("s", "title"), schema.session("s", "ended_at"),
                schema.session("s", "end_reason"))
                + " FROM messages m LEFT JOIN sessions s ON s.id = m.session_id ORDER BY m.id";
        List<Object[]> upserts = new ArrayList<>(BATCH);
        List<Object[]> removals = new ArrayList<>();
        String lastSession = null;
        boolean lastImported = false;
        try (Statement s = src.createStatement()) {
            s.setFetchSize(BATCH);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    messagesRead++;
                    long id = rs.getLong(1);
                    String key = keyPrefix + id;
                    String session = rs.getString(2);
                    Object active = rs.getObject(11);
                    if (session != null && !session.equals(lastSession)) {
                        lastSession = session;
                        Object ended = rs.getObject(17);
                        String sessionId = rs.getString(12);
                        lastImported = sessionId != null && ImportRules.session(sessionId, rs.getString(13), rs.getString(14),
                                rs.getString(15), rs.getString(16), ended == null ? null : rs.getString(18)) == null;
                    }
                    if (active != null && ((Number) active).intValue() == 0) {
                        rewound++;
                        removals.add(new Object[] {key});
                    } else if (session == null || !lastImported) {
                        messagesSkipped.add("its session was left out or is not in the file", Long.toString(id));
                    } else {
                        Object tokenValue = rs.getObject(9);
                        Long tokens = tokenValue == null ? null : ((Number) tokenValue).longValue();
                        String role = rs.getString(3), content = rs.getString(5), toolCallId = rs.getString(6), toolCalls = rs.getString(7),
                                toolName = rs.getString(8), finishReason = rs.getString(10);
                        String why = ImportRules.message(role, content, toolCallId, toolCalls, toolName, tokens, finishReason);
                        if (why != null) {
                            messagesSkipped.add(why, Long.toString(id));
                        } else {
                            if (toolCalls != null && !StoredJson.isJson(toolCalls)) {
                                toolCalls = StoredJson.quote(toolCalls);
                                asText++;
                            }
                            upserts.add(new Object[] {session, role, content, toolCallId, toolCalls, toolName, rs.getDouble(4), tokens,
                                    finishReason, key});
                        }
                    }
                    if (upserts.size() + removals.size() >= BATCH) {
                        writeMessages(upserts, removals);
                        progress.update("messages", messagesRead, total);
                    }
                }
            }
        }
        writeMessages(upserts, removals);
        progress.update("messages", messagesRead, total);
    }

    private void writeMessages(List<Object[]> upserts, List<Object[]> removals) {
        if (upserts.isEmpty() && removals.isEmpty()) {
            return;
        }
        List<Object[]> add = List.copyOf(upserts);
        List<Object[]> remove = List.copyOf(removals);
        upserts.clear();
        removals.clear();
        long[] counts = tx.execute(s -> new long[] {add.isEmpty() ? 0 : repo.upsertMessages(add),
                remove.isEmpty() ? 0 : repo.removeMessages(remove)});
        messagesWritten += counts == null ? 0 : counts[0];
        removed += counts == null ? 0 : counts[1];
    }

    /** Message counts and recency of every session the import brought, from the messages each now has. */
    void recount() throws SQLException {
        inBatches("", rs -> new Object[] {rs.getString(1)}, repo::recount);
    }

    /** A statement's arguments from the current row. */
    private interface Row {
        Object[] of(ResultSet rs) throws SQLException;
    }

    /** The source's sessions ({@code where}) that the API would take, a row each, to {@code write} in batches: one transaction a batch. */
    private void inBatches(String where, Row row, Function<List<Object[]>, Integer> write) throws SQLException {
        List<Object[]> batch = new ArrayList<>(BATCH);
        try (Statement s = src.createStatement()) {
            s.setFetchSize(BATCH);
            try (ResultSet rs = s.executeQuery("SELECT " + sessionColumns() + " FROM sessions " + where + " ORDER BY rowid")) {
                while (rs.next()) {
                    if (refused(rs) == null) {
                        batch.add(row.of(rs));
                    }
                    if (batch.size() >= BATCH) {
                        List<Object[]> rows = List.copyOf(batch);
                        batch.clear();
                        tx.executeWithoutResult(st -> write.apply(rows));
                    }
                }
            }
        }
        List<Object[]> rows = List.copyOf(batch);
        tx.executeWithoutResult(st -> write.apply(rows));
    }

    private long count(String table) throws SQLException {
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
