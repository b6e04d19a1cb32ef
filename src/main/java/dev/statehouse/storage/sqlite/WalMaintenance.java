package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.StatehouseDataSource;
import dev.statehouse.storage.StorageProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Keeps the write-ahead log short without ever holding writers up for long.
 * <ul>
 * <li>Every tick a PASSIVE checkpoint: it never waits and never blocks a writer.</li>
 * <li>Past the truncate threshold, a TRUNCATE only when that PASSIVE copied every frame back
 * (no reader still needs an old one), and even then with a busy timeout of
 * {@code statehouse.storage.checkpoint-truncate-wait}: a TRUNCATE holds the write lock while it
 * waits for readers, so a long wait would stall every writer.</li>
 * <li>When frames are left behind tick after tick, a reader in another process pins the WAL and it
 * can only grow: that is reported ({@link #pin()}, the {@code storage} readiness details, the
 * {@code statehouse_wal_pinned_seconds} gauge) with the processes holding WAL read marks.</li>
 * </ul>
 * Shutdown's TRUNCATE is in {@link StatehouseDataSource#close()}.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class WalMaintenance {

    private static final Logger log = LoggerFactory.getLogger(WalMaintenance.class);

    /** What the last checkpoint did; {@code busy} means a reader or writer kept it from finishing. */
    public record Checkpoint(Instant at, String mode, boolean busy, int logFrames, int checkpointedFrames,
                             long walBytesBefore, String error) {

        /** Every frame in the log was copied back into the database. */
        boolean complete() {
            return error == null && !busy && checkpointedFrames >= logFrames;
        }
    }

    /** A reader pinning the WAL: since when (monotonic), the WAL's size then, and who reads. */
    public record Pin(Instant since, long sinceNanos, long walBytesAtStart, List<String> readers) {
        public double seconds() {
            return (System.nanoTime() - sinceNanos) / 1e9;
        }
    }

    private final JdbcTemplate jdbc;
    private final DatabaseLocation database;
    private final Clock clock;
    private final MeterRegistry registry;
    private final boolean wal;
    /** False while an external replicator (Litestream) owns the WAL: PASSIVE checkpoints only. */
    private final boolean truncates;
    private final long truncateThreshold;
    private final int truncateWaitMs;
    private final int busyTimeoutMs;
    private final WalReaders readers = new WalReaders();
    private final AtomicReference<Checkpoint> last = new AtomicReference<>();
    private volatile Pin pin;
    private int incompleteTicks;

    @org.springframework.beans.factory.annotation.Autowired
    public WalMaintenance(JdbcTemplate jdbc, DatabaseLocation database, Clock clock, MeterRegistry registry,
                          StorageProperties props) {
        this(jdbc, database, clock, registry, props.journalMode(), props.walTruncateThreshold(), props.checkpointTruncateWait(),
                props.busyTimeoutMs(), !props.externallyReplicated());
    }

    public WalMaintenance(JdbcTemplate jdbc, DatabaseLocation database, Clock clock, MeterRegistry registry, String journalMode,
                   DataSize truncateThreshold, Duration truncateWait, int busyTimeoutMs, boolean truncates) {
        this.truncates = truncates;
        this.registry = registry;
        for (String m : new String[] {"passive", "truncate"}) { // exported from the start, not at the first checkpoint
            for (String outcome : new String[] {"complete", "partial", "busy", "error"}) {
                checkpoints(m, outcome);
            }
        }
        this.jdbc = jdbc;
        this.database = database;
        this.clock = clock;
        this.wal = "WAL".equalsIgnoreCase(journalMode);
        this.truncateThreshold = truncateThreshold.toBytes();
        this.truncateWaitMs = (int) Math.max(1, truncateWait.toMillis());
        this.busyTimeoutMs = busyTimeoutMs;
        Gauge.builder("statehouse.wal.pinned", this, w -> w.pin == null ? 0 : w.pin.seconds())
                .baseUnit("seconds").description("How long a reader has kept checkpoints from completing (0: not pinned)")
                .register(registry);
    }

    /** False when {@code statehouse.storage.external-replication} hands WAL truncation to Litestream. */
    public boolean truncates() {
        return truncates;
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

    /** The reader pinning the WAL right now, or null. */
    public Pin pin() {
        return pin;
    }

    @Scheduled(fixedDelayString = "${statehouse.storage.checkpoint-interval:60s}",
            initialDelayString = "${statehouse.storage.checkpoint-interval:60s}")
    public void scheduled() {
        if (!wal) {
            return;
        }
        Checkpoint passive = checkpoint("PASSIVE");
        if (passive.error() != null) {
            return;
        }
        track(passive);
        if (truncates && passive.complete() && walBytes() > truncateThreshold) {
            checkpoint("TRUNCATE");
        }
    }

    /** Two ticks in a row with frames left behind is a pinned WAL; a complete checkpoint ends it. */
    private synchronized void track(Checkpoint passive) {
        if (passive.complete()) {
            if (pin != null) {
                log.info("WAL no longer pinned after {} s", Math.round(pin.seconds()));
            }
            pin = null;
            incompleteTicks = 0;
            return;
        }
        incompleteTicks++;
        if (incompleteTicks >= 2) {
            List<String> who = readers.of(database.shm());
            if (pin == null) {
                pin = new Pin(clock.instant(), System.nanoTime(), walBytes(), who);
                log.warn("WAL pinned: a reader keeps checkpoints from completing ({} of {} frames copied back); readers: {}",
                        passive.checkpointedFrames(), passive.logFrames(), who.isEmpty() ? "unknown" : who);
            } else {
                pin = new Pin(pin.since(), pin.sinceNanos(), pin.walBytesAtStart(), who);
            }
        }
    }

    /**
     * Runs {@code PRAGMA wal_checkpoint(mode)}. PASSIVE never waits; the others wait for readers at
     * most {@code checkpoint-truncate-wait} (on their connection, restored afterwards), so writers
     * are never held behind a checkpoint that cannot finish.
     */
    public synchronized Checkpoint checkpoint(String mode) {
        if (!mode.equals("PASSIVE") && !mode.equals("TRUNCATE") && !mode.equals("FULL") && !mode.equals("RESTART")) {
            throw new IllegalArgumentException("checkpoint mode " + mode);
        }
        long before = walBytes();
        Checkpoint result;
        try {
            result = jdbc.execute((ConnectionCallback<Checkpoint>) c -> {
                try (Statement s = c.createStatement()) {
                    boolean waits = !mode.equals("PASSIVE");
                    if (waits) {
                        s.execute("PRAGMA busy_timeout = " + truncateWaitMs);
                    }
                    try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
                        rs.next();
                        return new Checkpoint(clock.instant(), mode, rs.getInt(1) == 1, rs.getInt(2), rs.getInt(3), before, null);
                    } finally {
                        if (waits) {
                            s.execute("PRAGMA busy_timeout = " + busyTimeoutMs);
                        }
                    }
                }
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
        checkpoints(mode.toLowerCase(java.util.Locale.ROOT),
                result.error() != null ? "error" : result.busy() ? "busy" : result.complete() ? "complete" : "partial").increment();
        return result;
    }

    /** The counter of WAL checkpoints of {@code mode} that ended with {@code outcome}. */
    private io.micrometer.core.instrument.Counter checkpoints(String mode, String outcome) {
        return io.micrometer.core.instrument.Counter.builder("statehouse.wal.checkpoints")
                .description("WAL checkpoints by mode (passive, truncate) and outcome (complete, partial, busy, error)")
                .tag("mode", mode).tag("outcome", outcome).register(registry);
    }
}
