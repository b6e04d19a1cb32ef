package dev.statehouse.storage.postgres;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.DataVersions;
import dev.statehouse.storage.Engine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL: the current snapshot ({@code pg_current_snapshot()}, as text), the same for every
 * scope. Two reads return the same snapshot only if no transaction that took an id has committed or
 * begun in between, anywhere on the server; so a write acknowledged by any replica changes it for
 * every replica. It needs no row that every writer would update: such a row would serialise all
 * writers of a scope across replicas (each holds its lock to commit). The price is a version that
 * also moves on writes outside the scope, which only costs cache misses. The epoch is the server's
 * start time ({@code pg_postmaster_start_time()}: a restore, a restart or a failover changes it, and
 * every replica reads the same one). A read is never reused: other replicas write all the time.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresDataVersions implements DataVersions {

    private final JdbcTemplate jdbc;

    public PostgresDataVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String current(Scope scope) {
        return jdbc.queryForObject("SELECT (EXTRACT(EPOCH FROM pg_postmaster_start_time()) * 1000000)::bigint::text"
                + " || '.' || pg_current_snapshot()::text", String.class);
    }

    @Override
    public boolean reusable() {
        return false;
    }
}
