package dev.statehouse.health.sqlite;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.health.StorageDetails;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.FreeSpace;
import dev.statehouse.storage.sqlite.WalMaintenance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * SQLite: the database's disk (free and total bytes of its file system), its {@code auto_vacuum} mode
 * (read once at start), the journal mode, the WAL's
 * size against its truncate threshold, what pins it (readers of other processes) and the last
 * checkpoint — each read from what {@link WalMaintenance} last measured, or from the file system.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteStorageDetails implements StorageDetails {

    private final WalMaintenance wal;
    private final Path directory;
    private final FreeSpace space;

    public SqliteStorageDetails(WalMaintenance wal, DatabaseLocation database, FreeSpace space) {
        this.wal = wal;
        this.space = space;
        this.directory = database.file().getParent();
    }

    @Override
    public String engine() {
        return "sqlite";
    }

    @Override
    public long walBytes() {
        return wal.walBytes();
    }

    @Override
    public void addTo(Health.Builder health) {
        health.withDetail("disk", disk());
        health.withDetail("autoVacuum", space.mode());
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
