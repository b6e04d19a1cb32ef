package dev.statehouse.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.StoredJson;
import dev.statehouse.storage.Timestamps;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Every SQL statement about messages: pages of a session's messages, one message, appending one. */
@Repository
public class MessageRepository {

    /**
     * A message made its session's newest message newer: the chain's message count grows, and the
     * session becomes the tip when it now has the chain's newest message (ties by depth, then id, as
     * in {@link #RELINEAGE_HEADS}), or when it is the first in the chain with any. Six times the
     * session id. (SET expressions see the head's values before this statement.) SQLite's form (scalar
     * {@code MAX}, row-valued subqueries) is not PostgreSQL's; the portable form costs SQLite a fifth
     * of its message-append rate (measured, docs/benchmarks.md), so each engine gets its own.
     */
    private static final String TIP_AFTER_MESSAGE_SQLITE = """
            UPDATE sessions SET
                lineage_tip_id = CASE
                    WHEN lineage_messages = 0 THEN ?
                    WHEN (SELECT s.last_activity_at, s.lineage_depth, s.id FROM sessions s WHERE s.id = ?)
                         > (SELECT t.last_activity_at, t.lineage_depth, t.id FROM sessions t WHERE t.id = sessions.lineage_tip_id)
                        THEN ?
                    ELSE lineage_tip_id END,
                lineage_last_activity = CASE
                    WHEN lineage_messages = 0 THEN (SELECT s.last_activity_at FROM sessions s WHERE s.id = ?)
                    ELSE MAX(lineage_last_activity, (SELECT s.last_activity_at FROM sessions s WHERE s.id = ?))
                    END,
                lineage_messages = lineage_messages + 1
            WHERE id = (SELECT lineage_root_id FROM sessions WHERE id = ?)
            """;

    private static final String TIP_AFTER_MESSAGE_POSTGRESQL = """
            UPDATE sessions SET
                lineage_tip_id = CASE
                    WHEN lineage_messages = 0 THEN ?
                    WHEN EXISTS (SELECT 1 FROM sessions s, sessions t WHERE s.id = ? AND t.id = sessions.lineage_tip_id
                                 AND (s.last_activity_at, s.lineage_depth, s.id) > (t.last_activity_at, t.lineage_depth, t.id))
                        THEN ?
                    ELSE lineage_tip_id END,
                lineage_last_activity = CASE
                    WHEN lineage_messages = 0 THEN (SELECT s.last_activity_at FROM sessions s WHERE s.id = ?)
                    ELSE (SELECT GREATEST(sessions.lineage_last_activity, s.last_activity_at) FROM sessions s WHERE s.id = ?)
                    END,
                lineage_messages = lineage_messages + 1
            WHERE id = (SELECT lineage_root_id FROM sessions WHERE id = ?)
            """;

    private static final String MESSAGE_COLUMNS = """
            id, session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason""";

    private final JdbcTemplate jdbc;
    private final Engine engine;
    /** This engine's form of {@link #TIP_AFTER_MESSAGE_SQLITE}. */
    private final String tipAfterMessage;

    public MessageRepository(JdbcTemplate jdbc, Engine engine) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.tipAfterMessage = engine == Engine.POSTGRESQL ? TIP_AFTER_MESSAGE_POSTGRESQL : TIP_AFTER_MESSAGE_SQLITE;
    }

    /**
     * PostgreSQL: locks the head of the session's chain before the message touches it (the same lock
     * a chain's recomputation takes first, {@link SessionRepository#lockHeads}), re-reading the head
     * once the lock is held in case the chain changed meanwhile. SQLite: nothing to do.
     */
    private void lockChainOf(String sessionId) {
        if (engine != Engine.POSTGRESQL) {
            return;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> locked = jdbc.queryForList("SELECT id FROM sessions WHERE id = (SELECT lineage_root_id FROM sessions"
                    + " WHERE id = ?) FOR UPDATE", String.class, sessionId);
            if (locked.isEmpty()) {
                return; // no such session: the append finds nothing to update (404)
            }
            List<String> now = jdbc.queryForList("SELECT lineage_root_id FROM sessions WHERE id = ?", String.class, sessionId);
            if (now.isEmpty() || now.get(0).equals(locked.get(0))) {
                return;
            }
        }
    }

    /**
     * A page of messages older than message {@code before} (or the newest page), returned
     * oldest-first. Asks for {@code limit} rows; the caller asks one extra to learn if more exist.
     */
    public List<Message> messages(String sessionId, Long before, int limit) {
        List<Message> page;
        if (before == null) {
            page = jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ?"
                    + " ORDER BY timestamp DESC, id DESC LIMIT ?", MessageRepository::mapMessage, sessionId, limit);
        } else {
            page = jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ?"
                            + " AND (timestamp, id) < (SELECT timestamp, id FROM messages WHERE id = ? AND session_id = ?)"
                            + " ORDER BY timestamp DESC, id DESC LIMIT ?",
                    MessageRepository::mapMessage, sessionId, before, sessionId, limit);
        }
        page = new ArrayList<>(page);
        Collections.reverse(page);
        return page;
    }

    public Optional<Message> message(String sessionId, long messageId) {
        return jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = ? AND session_id = ?",
                MessageRepository::mapMessage, messageId, sessionId).stream().findFirst();
    }

    public boolean messageExists(String sessionId, long messageId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS(SELECT 1 FROM messages WHERE id = ? AND session_id = ?)", Boolean.class, messageId, sessionId));
    }

    /**
     * Appends a message and keeps the session's counters in the same transaction; the row carries
     * {@code counted = 1} so the database's trigger for other writers' messages (V10) leaves it be.
     */
    public Message appendMessage(String sessionId, NewMessage m) {
        double ts = Timestamps.toEpoch(m.timestamp());
        long tokens = m.tokenCount() == null ? 0 : m.tokenCount();
        boolean output = "assistant".equals(m.role());
        lockChainOf(sessionId);
        int updated = jdbc.update("""
                UPDATE sessions SET message_count = message_count + 1,
                                    tool_call_count = tool_call_count + ?,
                                    input_tokens = input_tokens + ?,
                                    output_tokens = output_tokens + ?,
                                    last_activity_at = CASE WHEN message_count = 0 OR last_activity_at < ? THEN ? ELSE last_activity_at END
                WHERE id = ?
                """, m.toolCallCount(), output ? 0 : tokens, output ? tokens : 0, ts, ts, sessionId);
        if (updated == 0) {
            throw DomainException.notFound("session", sessionId);
        }
        jdbc.update(tipAfterMessage, sessionId, sessionId, sessionId, sessionId, sessionId, sessionId);
        Long id = jdbc.queryForObject("""
                INSERT INTO messages(session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp,
                                     token_count, finish_reason, counted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id
                """, Long.class, sessionId, m.role(), m.content(), m.toolCallId(), m.toolCalls(), m.toolName(), ts,
                m.tokenCount(), m.finishReason());
        return new Message(id, sessionId, m.role(), m.content(), m.toolCallId(), m.toolCalls(), m.toolName(),
                Timestamps.fromEpoch(ts), m.tokenCount(), m.finishReason());
    }

    private static Message mapMessage(ResultSet rs, int row) throws SQLException {
        long tokens = rs.getLong("token_count");
        Long tokenCount = rs.wasNull() ? null : tokens;
        return new Message(rs.getLong("id"), rs.getString("session_id"), rs.getString("role"), rs.getString("content"),
                rs.getString("tool_call_id"), StoredJson.asRawValue(rs.getString("tool_calls")), rs.getString("tool_name"),
                Timestamps.fromEpoch(rs.getDouble("timestamp")), tokenCount, rs.getString("finish_reason"));
    }
}
