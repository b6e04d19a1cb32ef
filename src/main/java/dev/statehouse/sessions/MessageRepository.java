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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every SQL statement about messages: pages of a session's messages, one message, appending one. The
 * append's upkeep of its chain's head, whose form differs by engine, is in {@link ChainStatements}.
 */
@Repository
public class MessageRepository {

    private static final String MESSAGE_COLUMNS = """
            id, session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason""";

    private final JdbcTemplate jdbc;
    private final ChainStatements chain;

    public MessageRepository(JdbcTemplate jdbc, ChainStatements chain) {
        this.jdbc = jdbc;
        this.chain = chain;
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
        chain.lockChainOf(sessionId);
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
        chain.tipAfterMessage(sessionId);
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
