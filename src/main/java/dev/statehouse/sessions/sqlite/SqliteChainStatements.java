package dev.statehouse.sessions.sqlite;

import dev.statehouse.sessions.ChainStatements;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@link ChainStatements} on SQLite: scalar {@code MAX} and row-valued subqueries; the sidebar names its partial index. */
@Repository
@ConditionalOnEngine(Engine.SQLITE)
class SqliteChainStatements implements ChainStatements {

    /**
     * Six times the session id. (SET expressions see the head's values before this statement.) The
     * portable form (PostgreSQL's) costs SQLite a fifth of its message-append rate (measured,
     * docs/benchmarks.md), hence a form of its own.
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

    private final JdbcTemplate jdbc;

    SqliteChainStatements(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void lockChainOf(String sessionId) {
        // one writer at a time: nothing to lock
    }

    @Override
    public void tipAfterMessage(String sessionId) {
        jdbc.update(TIP_AFTER_MESSAGE, sessionId, sessionId, sessionId, sessionId, sessionId, sessionId);
    }

    /** SQLite's planner would otherwise scan by activity. */
    @Override
    public String sidebarHeads() {
        return "sessions head INDEXED BY idx_sessions_sidebar";
    }
}
