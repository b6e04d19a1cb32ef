package dev.statehouse.health;

import java.util.List;
import java.util.Map;

/**
 * What the descriptor table and the database say about the pool's connections, which differs by
 * engine: one implementation per engine ({@code health.sqlite}, {@code health.postgres}).
 * <p>
 * Contract: nothing here waits on the database when called from a sample or a probe — a rule that
 * asks the server runs on a thread of its own ({@link #start}) and a sample reads its last answer.
 */
public interface DatabaseConnections {

    /** The descriptors that stand for the pool's live connections (SQLite: {@code -wal} handles; PostgreSQL: sockets to the server). */
    int count(FdScan scan);

    /** What {@link #count} counts, as a reason names it ("-wal handles (live SQLite connections)"). */
    String counted();

    /**
     * The rules that ask the database, from their last answer: adds what fired to {@code reasons}
     * (DOWN) or {@code warnings}; returns the details fdLeak shows of it, or null when there are none.
     */
    Map<String, Object> serverRules(FdLeakProperties props, List<String> reasons, List<String> warnings);

    /** Asks the database now, on the caller's thread (an operator's tool or a test wants this moment's state). */
    default void askNow() {
    }

    /** Starts asking the database on a thread of its own, if this engine has rules that ask it. */
    default void start() {
    }

    default void stop() {
    }
}
