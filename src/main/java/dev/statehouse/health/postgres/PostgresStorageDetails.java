package dev.statehouse.health.postgres;

import dev.statehouse.health.StorageDetails;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** PostgreSQL: the server's disk and WAL are the server's to watch; the pod shows none of them. */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresStorageDetails implements StorageDetails {

    @Override
    public String engine() {
        return "postgresql";
    }

    @Override
    public long walBytes() {
        return 0;
    }

    @Override
    public void addTo(Health.Builder health) {
        // nothing of the server's storage is this pod's to report
    }
}
