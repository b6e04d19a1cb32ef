package dev.statehouse.storage.postgres;

import java.util.Collection;
import java.util.Collections;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.RowLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@link RowLocks} on PostgreSQL: {@code SELECT … ORDER BY id FOR UPDATE / FOR SHARE}. */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
class PostgresRowLocks implements RowLocks {

    private final JdbcTemplate jdbc;

    PostgresRowLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void forUpdate(String table, Collection<String> ids) {
        lock(table, ids, "FOR UPDATE");
    }

    @Override
    public void forShare(String table, Collection<String> ids) {
        lock(table, ids, "FOR SHARE");
    }

    private void lock(String table, Collection<String> ids, String mode) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.query("SELECT id FROM " + table + " WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ") ORDER BY id " + mode, (rs, i) -> null, ids.toArray());
    }
}
