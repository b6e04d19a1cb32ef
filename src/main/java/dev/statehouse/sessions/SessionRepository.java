package dev.statehouse.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.Timestamps;
import dev.statehouse.storage.RowLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

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

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final RowLocks locks;

    public SessionRepository(JdbcTemplate jdbc, RowLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.named = new NamedParameterJdbcTemplate(jdbc);
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
    public Session create(NewSession s) {
        String projectId = s.projectId();
        if (s.parentSessionId() != null) {
            List<String> parentProject = jdbc.query("SELECT project_id FROM sessions WHERE id = ?",
                    (rs, i) -> rs.getString(1), s.parentSessionId());
            if (parentProject.isEmpty()) {
                throw DomainException.unknownReference("parent session '" + s.parentSessionId() + "' does not exist");
            }
            if (projectId == null) {
                projectId = parentProject.get(0);
            }
        }
        if (s.projectId() != null && !projectExists(s.projectId())) {
            throw DomainException.unknownReference("project '" + s.projectId() + "' does not exist");
        }
        double started = Timestamps.toEpoch(s.startedAt());
        int inserted = jdbc.update("""
                INSERT INTO sessions(id, source, user_id, model, title, project_id, parent_session_id,
                                     started_at, last_activity_at, lineage_root_id, lineage_tip_id, lineage_last_activity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
                """, s.id(), s.source(), s.userId(), s.model(), s.title(), projectId, s.parentSessionId(), started, started,
                s.id(), s.id(), started);
        if (inserted == 0) {
            throw DomainException.conflict(ErrorKind.ALREADY_EXISTS, "session '" + s.id() + "' already exists");
        }
        if (s.parentSessionId() != null) {
            relineage(List.of(rootOf(s.parentSessionId())));
        }
        return find(s.id()).orElseThrow();
    }

    public Session update(String id, SessionPatch patch) {
        Session current = find(id).orElseThrow(() -> DomainException.notFound("session", id));
        if (patch.setProject() && patch.projectId() != null && !projectExists(patch.projectId())) {
            throw DomainException.unknownReference("project '" + patch.projectId() + "' does not exist");
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
        if (ending && patch.endedAt().isBefore(current.startedAt())) {
            throw new DomainException.Unprocessable(ErrorKind.CONTRADICTS_STATE, "ended_at is before the session started");
        }
        if (!sets.isEmpty()) {
            args.add(id);
            jdbc.update("UPDATE sessions SET " + String.join(", ", sets) + " WHERE id = ?", args.toArray());
        }
        if (ending) {
            // guarded: of two ends racing (on two replicas), exactly one sets both columns
            ending = jdbc.update("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                    Timestamps.toEpoch(patch.endedAt()), patch.endReason(), id) == 1;
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
    public boolean delete(String id) {
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

    /**
     * PostgreSQL: locks the chain heads (in id order) before their chains are recomputed or a
     * message updates them. Under READ COMMITTED two writers to one chain would otherwise each
     * compute it without the other's change; the second now waits, and its next statement sees the
     * first's commit. SQLite: nothing to do, its writers take turns.
     */
    void lockHeads(List<String> heads) {
        locks.forUpdate("sessions", heads);
    }

    private String rootOf(String id) {
        return jdbc.queryForObject("SELECT lineage_root_id FROM sessions WHERE id = ?", String.class, id);
    }

    /**
     * Every chain at once, from nothing but parent links, sources, ends and the message counters —
     * after a bulk import, where chain-by-chain upkeep would cost more. Same rules as
     * {@link #RELINEAGE_MEMBERS} and {@link #RELINEAGE_HEADS}.
     */
    public void relineageAll() {
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
        lockHeads(heads);
        jdbc.update(RELINEAGE_MEMBERS.formatted(marks), heads.toArray());
        jdbc.update(RELINEAGE_HEADS.formatted(marks), heads.toArray());
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
}
