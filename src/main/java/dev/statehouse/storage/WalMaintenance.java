package dev.statehouse.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Keeps the write-ahead log short: a PASSIVE checkpoint on every tick (never waits for anyone),
 * a TRUNCATE checkpoint when the WAL has grown past the threshold. Shutdown's TRUNCATE is in
 * {@link StatehouseDataSource#close()}.
 */
@Component
public class WalMaintenance {

    private static final Logger log = LoggerFactory.getLogger(WalMaintenance.class);

    /** What the last checkpoint did; {@code busy} means a reader or writer kept it from finishing. */
    public record Checkpoint(Instant at, String mode, boolean busy, int logFrames, int checkpointedFrames,
                             long walBytesBefore, String error) {
    }

    private final JdbcTemplate jdbc;
    private final DatabaseLocation database;
    private final Clock clock;
    private final boolean wal;
    private final long truncateThreshold;
    private final AtomicReference<Checkpoint> last = new AtomicReference<>();

    public WalMaintenance(JdbcTemplate jdbc, DatabaseLocation database, Clock clock,
                          @Value("${statehouse.storage.journal-mode:WAL}") String journalMode,
                          @Value("${statehouse.storage.wal-truncate-threshold:64MB}") DataSize truncateThreshold) {
        this.jdbc = jdbc;
        this.database = database;
        this.clock = clock;
        this.wal = "WAL".equalsIgnoreCase(journalMode);
        this.truncateThreshold = truncateThreshold.toBytes();
    }

    public boolean walMode() {
        return wal;
    }

    public long truncateThresholdBytes() {
        return truncateThreshold;
    }

    /** The WAL's size from {@code stat}; the file is never opened here. */
    public long walBytes() {
        try {
            return Files.size(database.wal());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    public Checkpoint lastCheckpoint() {
        return last.get();
    }

    @Scheduled(fixedDelayString = "${statehouse.storage.checkpoint-interval:60s}",
            initialDelayString = "${statehouse.storage.checkpoint-interval:60s}")
    public void scheduled() {
        if (wal) {
            checkpoint(walBytes() > truncateThreshold ? "TRUNCATE" : "PASSIVE");
        }
    }

    public synchronized Checkpoint checkpoint(String mode) {
        if (!mode.equals("PASSIVE") && !mode.equals("TRUNCATE") && !mode.equals("FULL") && !mode.equals("RESTART")) {
            throw new IllegalArgumentException("checkpoint mode " + mode);
        }
        long before = walBytes();
        Checkpoint result;
        try {
            result = jdbc.query("PRAGMA wal_checkpoint(" + mode + ")", rs -> {
                rs.next();
                return new Checkpoint(clock.instant(), mode, rs.getInt(1) == 1, rs.getInt(2), rs.getInt(3), before, null);
            });
            if (result.busy()) {
                log.debug("{} checkpoint could not finish: busy", mode);
            } else if (mode.equals("TRUNCATE")) {
                log.info("WAL truncated from {} bytes", before);
            }
        } catch (RuntimeException e) {
            log.warn("{} checkpoint failed: {}", mode, e.toString());
            result = new Checkpoint(clock.instant(), mode, false, -1, -1, before, e.toString());
        }
        last.set(result);
        return result;
    }
}
