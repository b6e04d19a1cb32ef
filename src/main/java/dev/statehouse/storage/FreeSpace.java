package dev.statehouse.storage;

/**
 * Gives the space of deleted rows back after retention pruned them; one implementation per engine.
 * <ul>
 * <li>{@link dev.statehouse.storage.sqlite.IncrementalVacuum}: on a database in
 * {@code auto_vacuum=INCREMENTAL} mode (every database this service created; an older one after
 * {@code statehouse vacuum}), {@code PRAGMA incremental_vacuum} in short write turns moves free pages
 * to the end of the file and truncates it. On a database in another mode it does nothing and says so
 * ({@link #mode()}).</li>
 * <li>{@link dev.statehouse.storage.postgres.PostgresFreeSpace}: nothing to do here: autovacuum
 * marks the space of deleted rows for reuse, so steady deletes keep the tables from growing.</li>
 * </ul>
 * Caller's duty: call it outside any transaction (each step takes its own write turn).
 */
public interface FreeSpace {

    /**
     * Gives free space back until none is left or {@code deadlineNanos} ({@link System#nanoTime()})
     * has passed; the bytes given back.
     */
    long reclaim(long deadlineNanos);

    /** How this engine gives space back, for the storage details: e.g. {@code incremental}, {@code none}, {@code autovacuum}. */
    String mode();
}
