package dev.statehouse.kanban.postgres;

import dev.statehouse.kanban.DispatchLocks;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@link DispatchLocks} on PostgreSQL: row locks on the children, a transaction-scoped advisory lock for the dispatcher. */
@Repository
@ConditionalOnEngine(Engine.POSTGRESQL)
class PostgresDispatchLocks implements DispatchLocks {

    private final JdbcTemplate jdbc;

    PostgresDispatchLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void lockChildrenOf(String parentId) {
        jdbc.query("SELECT t.id FROM tasks t WHERE t.id IN (SELECT child_id FROM task_links WHERE parent_id = ?)"
                + " ORDER BY t.id FOR UPDATE", (rs, i) -> null, parentId);
    }

    @Override
    public boolean leadsDispatcherStep() {
        return tryTransactionLock(DISPATCHER_LOCK);
    }

    @Override
    public boolean leadsRetention() {
        return tryTransactionLock(RETENTION_LOCK);
    }

    /** Takes the advisory lock {@code key} until this transaction ends, if no other session holds it. */
    private boolean tryTransactionLock(long key) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, key));
    }
}
