package dev.statehouse.hermes;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every statement an import runs against Statehouse's database. A session the import creates
 * records the source it came from ({@code import_source}); one that existed keeps what it had there.
 * Sessions are reconciled by id:
 * a session Statehouse already has keeps what it has — its title, project, pins, archive flag, and
 * its end (the first end wins) — and takes from hermes only what it lacks (user, model, title, an
 * end), with the larger of the two token and tool-call counts. Messages are matched by
 * {@code import_key}: new ones are added, changed ones updated, rewound ones removed; messages
 * written through the API are never touched.
 */
@Repository
public class HermesImportRepository {

    private static final String UPSERT_SESSION = """
            INSERT INTO sessions(id, source, user_id, model, title, started_at, ended_at, end_reason, tool_call_count,
                                 input_tokens, output_tokens, archived, last_activity_at,
                                 lineage_root_id, lineage_tip_id, lineage_last_activity, import_source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET
                user_id = COALESCE(sessions.user_id, excluded.user_id),
                model = COALESCE(sessions.model, excluded.model),
                title = COALESCE(sessions.title, excluded.title),
                ended_at = COALESCE(sessions.ended_at, excluded.ended_at),
                end_reason = CASE WHEN sessions.ended_at IS NULL THEN excluded.end_reason ELSE sessions.end_reason END,
                tool_call_count = CASE WHEN excluded.tool_call_count > sessions.tool_call_count THEN excluded.tool_call_count ELSE sessions.tool_call_count END,
                input_tokens = CASE WHEN excluded.input_tokens > sessions.input_tokens THEN excluded.input_tokens ELSE sessions.input_tokens END,
                output_tokens = CASE WHEN excluded.output_tokens > sessions.output_tokens THEN excluded.output_tokens ELSE sessions.output_tokens END
            WHERE (sessions.user_id IS NULL AND excluded.user_id IS NOT NULL)
               OR (sessions.model IS NULL AND excluded.model IS NOT NULL)
               OR (sessions.title IS NULL AND excluded.title IS NOT NULL)
               OR (sessions.ended_at IS NULL AND excluded.ended_at IS NOT NULL)
               OR excluded.tool_call_count > sessions.tool_call_count
               OR excluded.input_tokens > sessions.input_tokens
               OR excluded.output_tokens > sessions.output_tokens
            """;

    /** A parent link is filled in only where the session has none, and only to a session that exists. */
    private static final String LINK_PARENT = """
            UPDATE sessions SET parent_session_id = ?
            WHERE id = ? AND parent_session_id IS NULL AND ? <> ? AND EXISTS (SELECT 1 FROM sessions p WHERE p.id = ?)
            """;

    private static final String UPSERT_MESSAGE = """
            INSERT INTO messages(session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count,
                                 finish_reason, import_key, counted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT(import_key) WHERE import_key IS NOT NULL DO UPDATE SET
                role = excluded.role, content = excluded.content, tool_call_id = excluded.tool_call_id,
                tool_calls = excluded.tool_calls, tool_name = excluded.tool_name, timestamp = excluded.timestamp,
                token_count = excluded.token_count, finish_reason = excluded.finish_reason
            WHERE messages.session_id = excluded.session_id
              AND (messages.role IS DISTINCT FROM excluded.role OR messages.content IS DISTINCT FROM excluded.content
                   OR messages.tool_call_id IS DISTINCT FROM excluded.tool_call_id OR messages.tool_calls IS DISTINCT FROM excluded.tool_calls
                   OR messages.tool_name IS DISTINCT FROM excluded.tool_name OR messages.timestamp IS DISTINCT FROM excluded.timestamp
                   OR messages.token_count IS DISTINCT FROM excluded.token_count OR messages.finish_reason IS DISTINCT FROM excluded.finish_reason)
            """;

    /** Counters and recency from the messages the session now has (an import may add to API-written ones). */
    private static final String RECOUNT = """
            UPDATE sessions SET
                message_count = (SELECT COUNT(*) FROM messages m WHERE m.session_id = sessions.id),
                last_activity_at = COALESCE((SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = sessions.id), started_at)
            WHERE id = ?
              AND (message_count IS DISTINCT FROM (SELECT COUNT(*) FROM messages m WHERE m.session_id = sessions.id)
                   OR last_activity_at IS DISTINCT FROM COALESCE((SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = sessions.id), started_at))
            """;

    private final JdbcTemplate jdbc;

    public HermesImportRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The source of earlier imports that created these sessions (same id and same start), by how many
     * of them each source created: how a file is recognised as a source imported before.
     */
    Map<String, Integer> sourcesOf(List<Object[]> idAndStart) {
        Map<String, Integer> found = new HashMap<>();
        if (idAndStart.isEmpty()) {
            return found;
        }
        Map<String, Double> starts = new HashMap<>();
        idAndStart.forEach(s -> starts.put((String) s[0], (Double) s[1]));
        jdbc.query("SELECT id, started_at, import_source FROM sessions WHERE import_source IS NOT NULL AND id IN ("
                + String.join(", ", Collections.nCopies(starts.size(), "?")) + ")", rs -> {
            if (Double.compare(rs.getDouble(2), starts.get(rs.getString(1))) == 0) {
                found.merge(rs.getString(3), 1, Integer::sum);
            }
        }, starts.keySet().toArray());
        return found;
    }

    /** Of these session ids, those that exist, each with the source that created it ("" for none). */
    Map<String, String> existing(List<String> ids) {
        Map<String, String> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query("SELECT id, COALESCE(import_source, '') FROM sessions WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")", rs -> {
            found.put(rs.getString(1), rs.getString(2));
        }, ids.toArray());
        return found;
    }

    /**
     * Adds or reconciles sessions; returns how many rows were written (new or changed). Rows are {id,
     * source, user, model, title, started, ended, end_reason, tool_calls, input, output, archived,
     * import_source}; the start is also the first activity and the id its own chain's head and tip.
     * (Plain positional parameters and no two-argument MAX: the same SQL on SQLite and PostgreSQL.)
     */
    int upsertSessions(List<Object[]> rows) {
        return written(jdbc.batchUpdate(UPSERT_SESSION, rows.stream().map(r -> new Object[] {r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                r[8], r[9], r[10], r[11], r[5], r[0], r[0], r[5], r[12]}).toList()));
    }

    /** Rows are {child, parent}. */
    int linkParents(List<Object[]> childAndParent) {
        return written(jdbc.batchUpdate(LINK_PARENT, childAndParent.stream().map(r -> new Object[] {r[1], r[0], r[0], r[1], r[1]}).toList()));
    }

    /**
     * Adds new messages and updates changed ones; returns how many rows were written. Rows are
     * {session, role, content, tool_call_id, tool_calls, tool_name, timestamp (Double), token_count
     * (Long or null), finish_reason, import_key}, bound with typed setters (the generic binding looks
     * each value's type up: a tenth of the import's time).
     */
    int upsertMessages(List<Object[]> rows) {
        return written(jdbc.batchUpdate(UPSERT_MESSAGE, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                Object[] r = rows.get(i);
                for (int c : new int[] {0, 1, 2, 3, 4, 5, 8, 9}) {
                    ps.setString(c + 1, (String) r[c]);
                }
                ps.setDouble(7, (Double) r[6]);
                if (r[7] == null) {
                    ps.setNull(8, Types.BIGINT);
                } else {
                    ps.setLong(8, (Long) r[7]);
                }
            }

            @Override
            public int getBatchSize() {
                return rows.size();
            }
        }));
    }

    int removeMessages(List<Object[]> importKeys) {
        return written(jdbc.batchUpdate("DELETE FROM messages WHERE import_key = ?", importKeys));
    }

    int recount(List<Object[]> sessionIds) {
        return written(jdbc.batchUpdate(RECOUNT, sessionIds));
    }

    long importedMessages(String prefix) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM messages WHERE import_key >= ? AND import_key < ?", Long.class,
                prefix, prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1));
        return n == null ? 0 : n;
    }

    private static int written(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += Math.max(0, c);
        }
        return n;
    }
}
