package dev.statehouse.storage;

import java.util.Collection;

/**
 * Row locks a read-then-write takes before it reads, inside the caller's transaction. PostgreSQL
 * runs at READ COMMITTED with writers on N replicas: a decision that reads rows another transaction
 * is changing must lock them first, so that the second writer waits for the first to commit and its
 * next statement sees that commit. Rows are locked in id order (no deadlock between two callers
 * locking overlapping sets). SQLite: nothing to do, its writers take turns. One implementation per
 * engine ({@code storage.sqlite}, {@code storage.postgres}).
 * <p>
 * The caller's duty: call inside the transaction whose decision the lock protects; {@code table}
 * is a constant of the caller's, never input.
 */
public interface RowLocks {

    /** Locks the rows of {@code table} with these ids against change and against other locks. */
    void forUpdate(String table, Collection<String> ids);

    /** Locks the rows of {@code table} with these ids against change (others may share-lock them too). */
    void forShare(String table, Collection<String> ids);
}
