package dev.statehouse.storage.sqlite;

import java.util.Collection;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.RowLocks;
import org.springframework.stereotype.Component;

/** {@link RowLocks} on SQLite: its writers take turns (one write transaction at a time), so there is nothing to lock. */
@Component
@ConditionalOnEngine(Engine.SQLITE)
class SqliteRowLocks implements RowLocks {

    @Override
    public void forUpdate(String table, Collection<String> ids) {
        // the write transaction already excludes every other writer
    }

    @Override
    public void forShare(String table, Collection<String> ids) {
        // the write transaction already excludes every other writer
    }
}
