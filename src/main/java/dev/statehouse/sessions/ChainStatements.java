package dev.statehouse.sessions;

/**
 * The sessions feature's statements whose form differs by engine — the upkeep of a chain's head when
 * a message arrives, and how the sidebar reaches chain heads — one implementation per engine
 * ({@code sessions.sqlite}, {@code sessions.postgres}), selected by {@code @ConditionalOnEngine}. The
 * feature's repositories call these and never ask which engine they run on.
 * <p>
 * The caller's duty: call both chain methods inside the transaction that appends the message, in
 * this order — {@link #lockChainOf} before the session's own counters change, {@link #tipAfterMessage}
 * after them.
 */
public interface ChainStatements {

    /**
     * Keeps other writers of the chain out until this transaction ends: PostgreSQL locks the chain's
     * head row (the lock a chain's recomputation takes first), re-reading the head once the lock is
     * held in case the chain changed meanwhile; SQLite needs nothing (one writer at a time). A
     * session that does not exist is no error here (the append finds nothing to update: 404).
     */
    void lockChainOf(String sessionId);

    /**
     * After a message made its session's newest message newer: the chain's message count grows, and
     * the session becomes the tip when it now has the chain's newest message (ties by depth, then
     * id), or when it is the first in the chain with any.
     */
    void tipAfterMessage(String sessionId);

    /** The sidebar's {@code FROM} item for chain heads, aliased {@code head}. */
    String sidebarHeads();
}
