package dev.statehouse.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.Engine;
import org.springframework.beans.factory.ObjectProvider;
import dev.statehouse.storage.StorageErrors.StorageFault;
import dev.statehouse.storage.StorageHealth;
import dev.statehouse.storage.WalMaintenance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code storage} (readiness): whether the database takes writes, the space left on its file
 * system, the journal mode, WAL size against its truncate threshold, the last checkpoint, and a
 * reader in another process that pins the WAL ({@code walPinned}: since when, how much the WAL
 * grew meanwhile, which processes hold read marks). A pinned WAL stays UP: writes still work.
 * <p>
 * DOWN while writes fail because the file or mount is read-only, the OS reports I/O errors, or the
 * pages are corrupt: another replica, or the same pod after the operator's fix, would serve
 * better, and it goes UP by itself at the first write that works (a probe tries every second).
 * A full disk stays UP with {@code writes.fault = disk_full}: reads keep working and the plan API
 * can free space, and taking the only replica out of the Service would stop both.
 */
@Component("storage")
public class StorageHealthIndicator implements HealthIndicator {

    private final WalMaintenance wal;
    private final StorageHealth writes;
    private final Path directory;
    private final Engine engine;

    public StorageHealthIndicator(ObjectProvider<WalMaintenance> wal, StorageHealth writes, DatabaseLocation database, Engine engine) {
        this.wal = wal.getIfAvailable();
        this.writes = writes;
        this.directory = database.isFile() ? database.file().getParent() : null;
        this.engine = engine;
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
        health.withDetail("engine", engine.id());
        health.withDetail("writes", w);
        if (wal == null) { // PostgreSQL: the server's disk and WAL are the server's to watch
            return health.build();
        }
        health.withDetail("disk", disk());
        health.withDetail("journalMode", wal.walMode() ? "wal" : "delete")
                .withDetail("walBytes", wal.walBytes())
                .withDetail("walTruncateThresholdBytes", wal.truncateThresholdBytes());
        WalMaintenance.Pin pin = wal.pin();
        if (pin != null) {
            Map<String, Object> pinned = new LinkedHashMap<>();
            pinned.put("since", pin.since().toString());
            pinned.put("seconds", Math.round(pin.seconds()));
            pinned.put("walGrowthBytes", Math.max(0, wal.walBytes() - pin.walBytesAtStart()));
            pinned.put("readers", pin.readers());
            health.withDetail("walPinned", pinned);
        }
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

    private Map<String, Object> disk() {
        Map<String, Object> disk = new LinkedHashMap<>();
        try {
            FileStore store = Files.getFileStore(directory);
            disk.put("freeBytes", store.getUsableSpace());
            disk.put("totalBytes", store.getTotalSpace());
        } catch (IOException e) {
            disk.put("error", e.toString());
        }
        return disk;
    }
}
