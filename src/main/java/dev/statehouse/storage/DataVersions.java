package dev.statehouse.storage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The version of each data scope, from which strong ETags and the sidebar cache are derived.
 * <p>
 * SQLite: the {@code data_versions} table, bumped by triggers on every write to the scope's tables,
 * from this process or any other (migration V8); one primary-key read.
 * <p>
 * PostgreSQL: the current snapshot ({@code pg_current_snapshot()}, as text), the same for every
 * scope. Two reads return the same snapshot only if no transaction that took an id has committed or
 * begun in between, anywhere on the server; so a write acknowledged by any replica changes it for
 * every replica. It needs no row that every writer would update: such a row would serialise all
 * writers of a scope across replicas (each holds its lock to commit). The price is a version that
 * also moves on writes outside the scope, which only costs cache misses.
 * <p>
 * A version must never come back with other data behind it, as it would after a restore (a backup's
 * counters, or a server whose transaction ids restart at the restore point). So every version
 * carries an epoch that such an event changes: on SQLite a random value drawn at start (a restore,
 * or any file put in place of the database, needs the service stopped: the next start draws anew);
 * on PostgreSQL the server's start time ({@code pg_postmaster_start_time()}: a restore, a restart or
 * a failover changes it, and every replica reads the same one).
 */
@Component
public class DataVersions {

    /** A group of tables that change together as far as readers are concerned. */
    public enum Scope {
        /** sessions, messages and projects: the sidebar, a session's messages, projects with session counts. */
        SESSIONS("sessions"),
        /** tasks: board task lists. */
        KANBAN("kanban");

        private final String key;

        Scope(String key) {
            this.key = key;
        }
    }

    private final JdbcTemplate jdbc;
    private final Engine engine;
    /** SQLite: this process's epoch, drawn at start. */
    private final String epoch = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);

    public DataVersions(JdbcTemplate jdbc, Engine engine) {
        this.jdbc = jdbc;
        this.engine = engine;
    }

    /** The scope's version now: equal strings mean nothing in the scope was committed in between. */
    public String current(Scope scope) {
        if (engine == Engine.POSTGRESQL) {
            return jdbc.queryForObject("SELECT (EXTRACT(EPOCH FROM pg_postmaster_start_time()) * 1000000)::bigint::text"
                    + " || '.' || pg_current_snapshot()::text", String.class);
        }
        Long version = jdbc.queryForObject("SELECT version FROM data_versions WHERE scope = ?", Long.class, scope.key);
        return epoch + "." + (version == null ? 0 : version);
    }

    /**
     * True when other processes write through the same server (PostgreSQL replicas): a version may
     * not be reused, even briefly, or a write acknowledged by another replica could go unseen.
     */
    public boolean sharedServer() {
        return engine == Engine.POSTGRESQL;
    }
}
