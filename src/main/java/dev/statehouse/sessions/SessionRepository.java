package dev.statehouse.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.statehouse.domain.DomainException;
import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import dev.statehouse.storage.DataChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every SQL statement about sessions and their messages. Writes that read before they write run in
 * one transaction, which the pool opens with BEGIN IMMEDIATE (transaction_mode=IMMEDIATE), so a
 * reader never has to upgrade to a writer half-way and fail with SQLITE_BUSY.
 */
@Repository
public class SessionRepository {


    private static final String SESSION_COLUMNS = """
            id, source, user_id, model, title, project_id, parent_session_id, started_at, ended_at,
            end_reason, message_count, tool_call_count, input_tokens, output_tokens, pinned, archived,
            last_activity_at""";

    /**
     * The sidebar in one statement: heads only (a partial index keeps them in activity order),
     * each joined to its chain's tip and to its own parent. The lineage columns it reads are kept
     * by {@link #relineage} on every write that can change a chain, and by {@link #appendMessage}.
     * By default chains without messages and background sources are left out.
     */
    private static final String SIDEBAR = """
            SELECT tip.id, COALESCE(head.title, tip.title) AS title, tip.source, tip.model, tip.project_id,
                   head.started_at, head.lineage_last_activity AS last_activity, tip.ended_at, tip.end_reason,
                   tip.message_count, tip.tool_call_count, tip.input_tokens, tip.output_tokens,
                   tip.pinned, tip.archived, head.id AS root_id, head.lineage_segments AS segments,
                   head.parent_session_id, parent.title AS parent_title
            FROM sessions head INDEXED BY idx_sessions_sidebar
            JOIN sessions tip ON tip.id = head.lineage_tip_id
            LEFT JOIN sessions parent ON parent.id = head.parent_session_id
            WHERE head.lineage_root_id = head.id
              AND (:source IS NULL OR tip.source = :source)
              AND (:project IS NULL OR tip.project_id = :project)
              AND (:include_archived OR tip.archived = 0)
              AND (:include_empty OR head.lineage_messages > 0)
              AND (:source IS NOT NULL OR :include_background OR head.source NOT IN (:background))
              AND (:cursor_key IS NULL OR head.lineage_last_activity < :cursor_key
                   OR (head.lineage_last_activity = :cursor_key AND head.id < :cursor_id))
            ORDER BY head.lineage_last_activity DESC, head.id DESC
            LIMIT :limit
            """;

    /** Session {@code c} continues the chain of its parent {@code p}: ended by compression or close, same source, started after. */
    private static final String CONTINUES = """
            p.end_reason IN ('compression', 'cli_close') AND p.ended_at IS NOT NULL AND c.started_at >= p.ended_at
                  AND c.source = p.source""";

    /**
     * Recomputes the chains hanging from the given heads: which sessions are continuations of
     * which head and at what depth (one recursive CTE), then each head's tip, segment count and
     * newest activity. Chains are short, so this touches a handful of rows.
     */
    private static final String RELINEAGE_MEMBERS = """
            WITH RECURSIVE chain(root_id, id, depth) AS (
                SELECT id, id, 0 FROM sessions WHERE id IN (%s)
                UNION ALL
                SELECT chain.root_id, c.id, chain.depth + 1
                FROM chain JOIN sessions p ON p.id = chain.id JOIN sessions c ON c.parent_session_id = p.id
                WHERE
            """ + CONTINUES + """

            )
            UPDATE sessions SET lineage_root_id = chain.root_id, lineage_depth = chain.depth
            FROM chain WHERE chain.id = sessions.id
            """;

    /** Every session that continues no chain: the heads of all chains. */
    private static final String ALL_HEADS = "SELECT c.id FROM sessions c WHERE NOT EXISTS (SELECT 1 FROM sessions p"
            + " WHERE p.id = c.parent_session_id AND " + CONTINUES + ")";

    private static final String RELINEAGE_HEADS = """
            UPDATE sessions SET
                lineage_tip_id = (SELECT m.id FROM sessions m WHERE m.lineage_root_id = sessions.id
                                  ORDER BY m.message_count > 0 DESC, m.last_activity_at DESC, m.lineage_depth DESC, m.id DESC
                                  LIMIT 1),
                lineage_segments = (SELECT COUNT(*) FROM sessions m WHERE m.lineage_root_id = sessions.id),
                lineage_last_activity = (SELECT COALESCE(MAX(CASE WHEN m.message_count > 0 THEN m.last_activity_at END),
                                                         MAX(m.started_at))
                                         FROM sessions m WHERE m.lineage_root_id = sessions.id),
                lineage_messages = (SELECT SUM(m.message_count) FROM sessions m WHERE m.lineage_root_id = sessions.id)
            WHERE id IN (%s) AND lineage_root_id = id
            """;

    /**
     * A message made its session's newest message newer: the chain's message count grows, and the
     * session becomes the tip when it now has the chain's newest message (ties by depth, then id, as
     * in {@link #RELINEAGE_HEADS}), or when it is the first in the chain with any. Six times the
     * session id. (SET expressions see the head's values before this statement.)
     */
    private static final String TIP_AFTER_MESSAGE = """
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

    private static final String MESSAGE_COLUMNS = """
            id, session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason""";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final ApplicationEventPublisher events;
    private final List<String> backgroundSources;

    public SessionRepository(JdbcTemplate jdbc, ApplicationEventPublisher events, SessionsProperties props) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.events = events;
        // NOT IN () is not SQL: an empty list is one name no source can have
        this.backgroundSources = props.backgroundSources().isEmpty() ? List.of("\u0000") : List.copyOf(props.backgroundSources());
    }

    /** What the default list leaves out and a filter can ask for. */
    public record SidebarFilter(String source, String projectId, boolean includeArchived, boolean includeEmpty,
                                boolean includeBackground) {
    }

    /** Up to {@code limit} rows after the cursor, newest activity first. */
    public List<SidebarRow> sidebar(SidebarFilter filter, Cursor cursor, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("source", filter.source())
                .addValue("project", filter.projectId())
                .addValue("include_archived", filter.includeArchived())
                .addValue("include_empty", filter.includeEmpty())
                .addValue("include_background", filter.includeBackground())
                .addValue("background", backgroundSources)
                .addValue("cursor_key", cursor == null ? null : cursor.key())
                .addValue("cursor_id", cursor == null ? null : cursor.id())
                .addValue("limit", limit);
        return named.query(SIDEBAR, params, SessionRepository::mapRow);
    }

    public Optional<Session> find(String id) {
        return jdbc.query("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ?", SessionRepository::mapSession, id)
                .stream().findFirst();
    }

    public boolean exists(String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?)", Boolean.class, id));
    }

    /**
     * Creates a session. A child with no project of its own inherits its parent's project, so a
     * continuation stays in the sidebar group its chain was in.
     */
    @Transactional
    public Session create(NewSession s) {
        events.publishEvent(DataChanged.SESSIONS);
        String projectId = s.projectId();
        if (s.parentSessionId() != null) {
            List<String> parentProject = jdbc.query("SELECT project_id FROM sessions WHERE id = ?",
                    (rs, i) -> rs.getString(1), s.parentSessionId());
            if (parentProject.isEmpty()) {
                throw DomainException.unprocessable("parent session '" + s.parentSessionId() + "' does not exist");
            }
            if (projectId == null) {
                projectId = parentProject.get(0);
            }
        }
        if (s.projectId() != null && !projectExists(s.projectId())) {
            throw DomainException.unprocessable("project '" + s.projectId() + "' does not exist");
        }
        double started = Timestamps.toEpoch(s.startedAt());
        int inserted = jdbc.update("""
                INSERT INTO sessions(id, source, user_id, model, title, project_id, parent_session_id,
                                     started_at, last_activity_at, lineage_root_id, lineage_tip_id, lineage_last_activity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
                """, s.id(), s.source(), s.userId(), s.model(), s.title(), projectId, s.parentSessionId(), started, started,
                s.id(), s.id(), started);
        if (inserted == 0) {
            throw DomainException.conflict("session '" + s.id() + "' already exists");
        }
        if (s.parentSessionId() != null) {
            relineage(List.of(rootOf(s.parentSessionId())));
        }
        return find(s.id()).orElseThrow();
    }

    @Transactional
    public Session update(String id, SessionPatch patch) {
        events.publishEvent(DataChanged.SESSIONS);
        Session current = find(id).orElseThrow(() -> DomainException.notFound("session", id));
        if (patch.setProject() && patch.projectId() != null && !projectExists(patch.projectId())) {
            throw DomainException.unprocessable("project '" + patch.projectId() + "' does not exist");
        }
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (patch.setTitle()) {
            sets.add("title = ?");
            args.add(patch.title());
        }
        if (patch.setProject()) {
            sets.add("project_id = ?");
            args.add(patch.projectId());
        }
        if (patch.pinned() != null) {
            sets.add("pinned = ?");
            args.add(patch.pinned() ? 1 : 0);
        }
        if (patch.archived() != null) {
            sets.add("archived = ?");
            args.add(patch.archived() ? 1 : 0);
        }
        boolean ending = patch.endReason() != null && current.endedAt() == null; // the first end reason wins
        if (ending) {
            if (patch.endedAt().isBefore(current.startedAt())) {
                throw DomainException.unprocessable("ended_at is before the session started");
            }
            double ended = Timestamps.toEpoch(patch.endedAt());
            sets.add("ended_at = ?");
            args.add(ended);
            sets.add("end_reason = ?");
            args.add(patch.endReason());
        }
        if (!sets.isEmpty()) {
            args.add(id);
            jdbc.update("UPDATE sessions SET " + String.join(", ", sets) + " WHERE id = ?", args.toArray());
        }
        if (ending) {
            // children that started after this end may now be its continuations
            relineage(List.of(rootOf(id)));
        }
        return find(id).orElseThrow();
    }

    /**
     * Deletes a session; its messages go with it (CASCADE), its children lose their parent (SET
     * NULL) and so head chains of their own; the chain it was in is recomputed.
     */
    @Transactional
    public boolean delete(String id) {
        events.publishEvent(DataChanged.SESSIONS);
        List<String> root = jdbc.queryForList("SELECT lineage_root_id FROM sessions WHERE id = ?", String.class, id);
        if (root.isEmpty()) {
            return false;
        }
        List<String> heads = new ArrayList<>(jdbc.queryForList("SELECT id FROM sessions WHERE parent_session_id = ?", String.class, id));
        jdbc.update("DELETE FROM sessions WHERE id = ?", id);
        if (!root.get(0).equals(id)) {
            heads.add(root.get(0));
        }
        relineage(heads);
        return true;
    }

    private String rootOf(String id) {
        return jdbc.queryForObject("SELECT lineage_root_id FROM sessions WHERE id = ?", String.class, id);
    }

    /**
     * Every chain at once, from nothing but parent links, sources, ends and the message counters —
     * after a bulk import, where chain-by-chain upkeep would cost more. Same rules as
     * {@link #RELINEAGE_MEMBERS} and {@link #RELINEAGE_HEADS}.
     */
    @Transactional
    public void relineageAll() {
        events.publishEvent(DataChanged.SESSIONS);
        jdbc.update("UPDATE sessions SET lineage_root_id = NULL, lineage_depth = 0 WHERE lineage_root_id IS NOT NULL OR lineage_depth <> 0");
        jdbc.update(RELINEAGE_MEMBERS.formatted(ALL_HEADS));
        jdbc.update("UPDATE sessions SET lineage_root_id = id WHERE lineage_root_id IS NULL");
        jdbc.update(RELINEAGE_HEADS.formatted("SELECT id FROM sessions WHERE lineage_root_id = id"));
    }

    /** Recomputes the chains of the given heads (see {@link #RELINEAGE_MEMBERS}). */
    void relineage(List<String> heads) {
        if (heads.isEmpty()) {
            return;
        }
        String marks = String.join(", ", Collections.nCopies(heads.size(), "?"));
        jdbc.update(RELINEAGE_MEMBERS.formatted(marks), heads.toArray());
        jdbc.update(RELINEAGE_HEADS.formatted(marks), heads.toArray());
    }

    /**
     * A page of messages older than message {@code before} (or the newest page), returned
     * oldest-first. Asks for {@code limit} rows; the caller asks one extra to learn if more exist.
     */
    public List<Message> messages(String sessionId, Long before, int limit) {
        List<Message> page;
        if (before == null) {
            page = jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ?"
                    + " ORDER BY timestamp DESC, id DESC LIMIT ?", SessionRepository::mapMessage, sessionId, limit);
        } else {
            page = jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ?"
                            + " AND (timestamp, id) < (SELECT timestamp, id FROM messages WHERE id = ? AND session_id = ?)"
                            + " ORDER BY timestamp DESC, id DESC LIMIT ?",
                    SessionRepository::mapMessage, sessionId, before, sessionId, limit);
        }
        page = new ArrayList<>(page);
        Collections.reverse(page);
        return page;
    }

    public Optional<Message> message(String sessionId, long messageId) {
        return jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = ? AND session_id = ?",
                SessionRepository::mapMessage, messageId, sessionId).stream().findFirst();
    }

    public boolean messageExists(String sessionId, long messageId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS(SELECT 1 FROM messages WHERE id = ? AND session_id = ?)", Boolean.class, messageId, sessionId));
    }

    /** Appends a message and keeps the session's counters in the same transaction. */
    @Transactional
    public Message appendMessage(String sessionId, NewMessage m) {
        events.publishEvent(DataChanged.SESSIONS);
        double ts = Timestamps.toEpoch(m.timestamp());
        long tokens = m.tokenCount() == null ? 0 : m.tokenCount();
        boolean output = "assistant".equals(m.role());
        int updated = jdbc.update("""
                UPDATE sessions SET message_count = message_count + 1,
                                    tool_call_count = tool_call_count + ?,
                                    input_tokens = input_tokens + ?,
                                    output_tokens = output_tokens + ?,
                                    last_activity_at = CASE WHEN message_count = 0 THEN ? ELSE MAX(last_activity_at, ?) END
                WHERE id = ?
                """, m.toolCallCount(), output ? 0 : tokens, output ? tokens : 0, ts, ts, sessionId);
        if (updated == 0) {
            throw DomainException.notFound("session", sessionId);
        }
        jdbc.update(TIP_AFTER_MESSAGE, sessionId, sessionId, sessionId, sessionId, sessionId, sessionId);
        Long id = jdbc.queryForObject("""
                INSERT INTO messages(session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp,
                                     token_count, finish_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, Long.class, sessionId, m.role(), m.content(), m.toolCallId(), m.toolCalls(), m.toolName(), ts,
                m.tokenCount(), m.finishReason());
        return new Message(id, sessionId, m.role(), m.content(), m.toolCallId(), m.toolCalls(), m.toolName(),
                Timestamps.fromEpoch(ts), m.tokenCount(), m.finishReason());
    }

    private boolean projectExists(String projectId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS(SELECT 1 FROM projects WHERE id = ?)", Boolean.class, projectId));
    }

    private static Session mapSession(ResultSet rs, int row) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("source"), rs.getString("user_id"), rs.getString("model"),
                rs.getString("title"), rs.getString("project_id"), rs.getString("parent_session_id"),
                Timestamps.fromEpoch(rs.getDouble("started_at")), Timestamps.fromEpoch(rs.getObject("ended_at")),
                rs.getString("end_reason"), rs.getLong("message_count"), rs.getLong("tool_call_count"),
                rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getInt("pinned") == 1,
                rs.getInt("archived") == 1, Timestamps.fromEpoch(rs.getDouble("last_activity_at")));
    }

    private static SidebarRow mapRow(ResultSet rs, int row) throws SQLException {
        String parent = rs.getString("parent_session_id");
        int segments = rs.getInt("segments");
        return new SidebarRow(rs.getString("id"), rs.getString("title"), rs.getString("source"), rs.getString("model"),
                rs.getString("project_id"), Timestamps.fromEpoch(rs.getDouble("started_at")),
                Timestamps.fromEpoch(rs.getDouble("last_activity")), Timestamps.fromEpoch(rs.getObject("ended_at")),
                rs.getString("end_reason"), rs.getLong("message_count"), rs.getLong("tool_call_count"),
                rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getInt("pinned") == 1,
                rs.getInt("archived") == 1, rs.getString("root_id"), rs.getString("id"), segments,
                parent == null ? "root" : "child_session", parent, rs.getString("parent_title"),
                rs.getDouble("last_activity"));
    }

    private static Message mapMessage(ResultSet rs, int row) throws SQLException {
        long tokens = rs.getLong("token_count");
        Long tokenCount = rs.wasNull() ? null : tokens;
        return new Message(rs.getLong("id"), rs.getString("session_id"), rs.getString("role"), rs.getString("content"),
                rs.getString("tool_call_id"), rs.getString("tool_calls"), rs.getString("tool_name"),
                Timestamps.fromEpoch(rs.getDouble("timestamp")), tokenCount, rs.getString("finish_reason"));
    }
}
