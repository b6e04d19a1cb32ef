package dev.statehouse.kanban.sqlite;

import dev.statehouse.kanban.DispatchLocks;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Repository;

/** {@link DispatchLocks} on SQLite: one process, one writer at a time — nothing to take. */
@Repository
@ConditionalOnEngine(Engine.SQLITE)
class SqliteDispatchLocks implements DispatchLocks {

    @Override
    public void lockChildrenOf(String parentId) {
        // writes are serialised: a second parent's completion reads the first's
    }

    @Override
    public boolean leadsDispatcherStep() {
        return true;
    }

    @Override
    public boolean leadsRetention() {
        return true;
    }
}
