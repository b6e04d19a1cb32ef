package dev.statehouse.storage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The version of each data scope, as the {@code data_versions} table keeps it: bumped by triggers
 * on every write to the scope's tables, from this process or any other (migration V8). Strong
 * ETags and the sidebar cache are derived from it. One primary-key read, nothing else.
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

    public DataVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long current(Scope scope) {
        Long version = jdbc.queryForObject("SELECT version FROM data_versions WHERE scope = ?", Long.class, scope.key);
        return version == null ? 0 : version;
    }
}
