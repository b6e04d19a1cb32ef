package dev.statehouse.kanban;

/**
 * The worker protocol's locks, whose form differs by engine; one implementation per engine
 * ({@code kanban.sqlite}, {@code kanban.postgres}) selected by {@code @ConditionalOnEngine}. Both
 * methods run inside the caller's transaction and hold what they take until it ends.
 */
public interface DispatchLocks {

    /** The advisory lock key of the dispatcher's steps ("STHS" and 1). */
    long DISPATCHER_LOCK = 0x5354_4853_0000_0001L;
    /** The advisory lock key of retention's batches ("STHS" and 2). */
    long RETENTION_LOCK = 0x5354_4853_0000_0002L;

    /**
     * Before the children of a finished task are promoted: PostgreSQL (READ COMMITTED) locks them, so
     * that of two parents of one child completing at once, the second waits for the first to commit
     * and then reads both parents done (else neither would promote it); SQLite needs nothing (one
     * writer at a time).
     */
    void lockChildrenOf(String parentId);

    /**
     * Whether this transaction runs the dispatcher's step: on PostgreSQL only the replica that gets
     * {@code pg_try_advisory_xact_lock(DISPATCHER_LOCK)} does (released at commit, or when its session
     * dies), the others skip it; each step stays correct if two ran (every change is a guarded
     * update), so the lock saves work and lock waits, not correctness. SQLite: always this process.
     */
    boolean leadsDispatcherStep();

    /**
     * Whether this transaction runs a batch of retention ({@link Retention}): on PostgreSQL one
     * replica at a time ({@code pg_try_advisory_xact_lock(RETENTION_LOCK)}), so replicas do not
     * delete the same rows side by side; SQLite: always.
     */
    boolean leadsRetention();
}
