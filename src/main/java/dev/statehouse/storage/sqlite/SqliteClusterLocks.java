package dev.statehouse.storage.sqlite;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import dev.statehouse.storage.ClusterLocks;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Component;

/** {@link ClusterLocks} on SQLite: one process, whose own locks are the whole story; the work just runs. */
@Component
@ConditionalOnEngine(Engine.SQLITE)
class SqliteClusterLocks implements ClusterLocks {

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public <T> Optional<T> withLock(String name, Duration wait, Supplier<T> work) {
        return Optional.ofNullable(work.get());
    }
}
