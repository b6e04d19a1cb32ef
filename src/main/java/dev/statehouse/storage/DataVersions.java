package dev.statehouse.storage;

/**
 * The version of each data scope, from which strong ETags and the sidebar cache are derived; one
 * implementation per engine ({@code storage.sqlite}: the {@code data_versions} table bumped by
 * triggers; {@code storage.postgres}: the server's current snapshot).
 * <p>
 * Contract: equal versions of a scope mean that nothing in the scope was committed in between, by
 * this process or any other. A version never comes back with other data behind it, as it would after
 * a restore (a backup's counters, or a server whose transaction ids restart at the restore point): every
 * version carries an epoch that such an event changes.
 */
public interface DataVersions {

    /** A group of tables that change together as far as readers are concerned. */
    enum Scope {
        /** sessions, messages and projects: the sidebar, a session's messages, projects with session counts. */
        SESSIONS("sessions"),
        /** tasks: board task lists. */
        KANBAN("kanban");

        private final String key;

        Scope(String key) {
            this.key = key;
        }

        /** The scope's name in the {@code data_versions} table. */
        public String key() {
            return key;
        }
    }

    /** The scope's version now: equal strings mean nothing in the scope was committed in between. */
    String current(Scope scope);

    /**
     * Whether a version read may serve again for a short while (the sidebar cache's TTL, reset by
     * every commit of this process): true where other processes write rarely and their writes may
     * show that much later; false where other replicas write through the same server all the time,
     * and a write acknowledged by one must be seen by the next read on every other.
     */
    boolean reusable();
}
