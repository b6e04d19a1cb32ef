package dev.statehouse.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.StorageErrors.StorageFault;
import dev.statehouse.storage.StorageHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code storage} (readiness): whether the database takes writes, and what the engine shows of its
 * storage ({@link StorageDetails}; SQLite: the space left on its file system, the journal mode, WAL
 * size against its truncate threshold, the last checkpoint, and a reader in another process that pins
 * the WAL ({@code walPinned}: since when, how much the WAL grew meanwhile, which processes hold read
 * marks)). A pinned WAL stays UP: writes still work.
 * <p>
 * DOWN while writes fail because the file or mount is read-only, the OS reports I/O errors, or the
 * pages are corrupt: another replica, or the same pod after the operator's fix, would serve
 * better, and it goes UP by itself at the first write that works (a probe tries every second).
 * A full disk stays UP with {@code writes.fault = disk_full}: reads keep working and the plan API
 * can free space, and taking the only replica out of the Service would stop both.
 */
@Component("storage")
public class StorageHealthIndicator implements HealthIndicator {

    private final StorageHealth writes;
    private final StorageDetails details;

    public StorageHealthIndicator(StorageHealth writes, StorageDetails details) {
        this.writes = writes;
        this.details = details;
    }

    @Override
    public Health health() {
        StorageHealth.Status status = writes.status();
        Health.Builder health = status.fault() == null || status.fault() == StorageFault.DISK_FULL ? Health.up() : Health.down();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("ok", status.fault() == null);
        if (status.fault() != null) {
            w.put("fault", status.fault().name().toLowerCase(java.util.Locale.ROOT));
            w.put("since", status.since().toString());
            w.put("error", status.detail());
        }
        if (status.lastWrite() != null) {
            w.put("lastWrite", status.lastWrite().toString());
        }
        health.withDetail("engine", details.engine());
        health.withDetail("writes", w);
        details.addTo(health);
        return health.build();
    }
}
