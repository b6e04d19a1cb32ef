package dev.statehouse.storage;

import java.util.Collection;
import java.util.Collections;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Row locks a read-then-write takes before it reads, inside the caller's transaction. PostgreSQL
 * runs at READ COMMITTED with writers on N replicas: a decision that reads rows another transaction
 * is changing must lock them first, so that the second writer waits for the first to commit and its
 * next statement sees that commit. Rows are locked in id order (no deadlock between two callers
 * locking overlapping sets). SQLite: nothing to do, its writers take turns.
 * <p>
 * The caller's duty: call inside the transaction whose decision the lock protects; {@code table}
 * is a constant of the caller's, never input.
 */
@Component
public class RowLocks {

    private final JdbcTemplate jdbc;
    private final Engine engine;

    public RowLocks(JdbcTemplate jdbc, Engine engine) {
        this.jdbc = jdbc;
        this.engine = engine;
    }

    /** Locks the rows of {@code table} with these ids against change and against other locks. */
    public void forUpdate(String table, Collection<String> ids) {
        lock(table, ids, "FOR UPDATE");
    }

    /** Locks the rows of {@code table} with these ids against change (others may share-lock them too). */
    public void forShare(String table, Collection<String> ids) {
        lock(table, ids, "FOR SHARE");
    }

    private void lock(String table, Collection<String> ids, String mode) {
        if (engine != Engine.POSTGRESQL || ids.isEmpty()) {
            return;
        }
        jdbc.query("SELECT id FROM " + table + " WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ") ORDER BY id " + mode, (rs, i) -> null, ids.toArray());
    }
}
