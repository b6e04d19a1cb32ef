package dev.statehouse.storage.postgres;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.FreeSpace;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL: autovacuum makes the space of deleted rows reusable; retention deletes in small
 * batches, so that it keeps up and the tables stop growing instead of shrinking. Nothing runs here.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresFreeSpace implements FreeSpace {

    @Override
    public long reclaim(long deadlineNanos) {
        return 0;
    }

    @Override
    public String mode() {
        return "autovacuum";
    }
}
