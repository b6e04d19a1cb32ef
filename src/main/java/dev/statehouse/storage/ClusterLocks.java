package dev.statehouse.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Locks that hold across replicas, for work that is not one database transaction (a file copied,
 * then its metadata written). PostgreSQL: a session advisory lock on a connection held for the
 * work, keyed by a hash of the name; released at the end, or by the server when the pod dies.
 * SQLite: one process, so the caller's own in-process lock is the whole story; the work just runs.
 * One implementation per engine ({@code storage.sqlite}, {@code storage.postgres}).
 * The caller's duty: keep the work short (it holds a pooled connection on PostgreSQL).
 */
public interface ClusterLocks {

    /** True when the locks reach other processes (PostgreSQL replicas): other processes may be doing the same work. */
    boolean shared();

    /**
     * Runs {@code work} holding the lock {@code name}, waiting up to {@code wait} for it; empty when
     * another replica held it all that time (the work did not run).
     */
    <T> Optional<T> withLock(String name, Duration wait, Supplier<T> work);
}
