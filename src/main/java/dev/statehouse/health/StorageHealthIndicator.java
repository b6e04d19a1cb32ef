package dev.statehouse.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.WalMaintenance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code storage} (readiness): journal mode, WAL size against its truncate threshold, and the
 * last checkpoint. Always UP: a long WAL slows reads but is no reason to stop serving; the
 * {@code db} indicator beside it checks that the database answers.
 */
@Component("storage")
public class StorageHealthIndicator implements HealthIndicator {

    private final WalMaintenance wal;

    public StorageHealthIndicator(WalMaintenance wal) {
        this.wal = wal;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up()
                .withDetail("journalMode", wal.walMode() ? "wal" : "delete")
                .withDetail("walBytes", wal.walBytes())
                .withDetail("walTruncateThresholdBytes", wal.truncateThresholdBytes());
        WalMaintenance.Checkpoint last = wal.lastCheckpoint();
        if (last != null) {
            Map<String, Object> checkpoint = new LinkedHashMap<>();
            checkpoint.put("at", last.at().toString());
            checkpoint.put("mode", last.mode());
            checkpoint.put("busy", last.busy());
            checkpoint.put("logFrames", last.logFrames());
            checkpoint.put("checkpointedFrames", last.checkpointedFrames());
            if (last.error() != null) {
                checkpoint.put("error", last.error());
            }
            health.withDetail("lastCheckpoint", checkpoint);
        }
        return health.build();
    }
}
