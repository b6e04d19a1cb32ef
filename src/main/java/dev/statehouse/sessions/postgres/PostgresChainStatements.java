package dev.statehouse.sessions.postgres;

import java.util.List;

import dev.statehouse.sessions.ChainStatements;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@link ChainStatements} on PostgreSQL: the chain's head is locked before a message touches it. */
@Repository
@ConditionalOnEngine(Engine.POSTGRESQL)
class PostgresChainStatements implements ChainStatements {

    /** SQLite's statement in PostgreSQL's form (row comparison in EXISTS, GREATEST); six times the session id. */
    private static final String TIP_AFTER_MESSAGE = """
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

    private final JdbcTemplate jdbc;

    PostgresChainStatements(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The same lock a chain's recomputation takes first (SessionRepository's lockHeads), so the two never deadlock. */
    @Override
    public void lockChainOf(String sessionId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> locked = jdbc.queryForList("SELECT id FROM sessions WHERE id = (SELECT lineage_root_id FROM sessions"
                    + " WHERE id = ?) FOR UPDATE", String.class, sessionId);
            if (locked.isEmpty()) {
                return;
            }
            List<String> now = jdbc.queryForList("SELECT lineage_root_id FROM sessions WHERE id = ?", String.class, sessionId);
            if (now.isEmpty() || now.get(0).equals(locked.get(0))) {
                return;
            }
        }
    }

    @Override
    public void tipAfterMessage(String sessionId) {
        jdbc.update(TIP_AFTER_MESSAGE, sessionId, sessionId, sessionId, sessionId, sessionId, sessionId);
    }

    /** PostgreSQL picks the partial index itself (it has no index hints). */
    @Override
    public String sidebarHeads() {
        return "sessions head";
    }
}
