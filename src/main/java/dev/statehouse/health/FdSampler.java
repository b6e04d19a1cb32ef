package dev.statehouse.health;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.WalMaintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Samples the descriptor table on its own thread, applies the four leak rules, heals deleted
 * database handles by recycling the pool, and publishes one immutable {@link FdLeakState}.
 */
@Component
public class FdSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FdSampler.class);

    private final FdInspector inspector;
    private final PoolControl pool;
    private final FdLeakProperties props;
    private final WalMaintenance walMaintenance;
    private final FdTrend trend;
    private final AtomicReference<FdLeakState> state = new AtomicReference<>();
    private ScheduledExecutorService executor;
    private int overBudgetStreak;
    private long heals;
    private long sampleErrors;

    public FdSampler(DatabaseLocation database, PoolControl pool, WalMaintenance wal, FdLeakProperties props, Clock clock,
                     @Value("${statehouse.resources.root:./data/resources}") String resourcesRoot,
                     @Value("${statehouse.checkpoints.dir:./data/checkpoints}") String checkpointsDir) {
        this.inspector = new FdInspector(database, List.of(Path.of(resourcesRoot), Path.of(checkpointsDir)), clock);
        this.pool = pool;
        this.props = props;
        this.walMaintenance = wal;
        this.trend = new FdTrend(props.window());
    }

    /** The last published state; null before the first sample. */
    FdLeakState state() {
        return state.get();
    }

    FdLeakProperties properties() {
        return props;
    }

    public FdInspector inspector() {
        return inspector;
    }

    /** Takes a sample now, on the caller's thread (the scheduler calls this too). */
    public synchronized void sampleNow() {
        FdScan scan = inspector.scan();
        PoolControl.PoolStats stats = pool.stats();
        boolean healFailed = false;
        if (!scan.deletedDatabaseFiles().isEmpty()) {
            if (props.healEnabled()) {
                log.warn("deleted database files still open: {}; recycling the pool's connections", scan.deletedDatabaseFiles());
                heals++;
                boolean closed = pool.recycleConnections(props.healMaxWait(),
                        () -> inspector.scan().deletedDatabaseFiles().isEmpty());
                scan = inspector.scan();
                stats = pool.stats();
                healFailed = !scan.deletedDatabaseFiles().isEmpty();
                if (healFailed) {
                    log.error("heal failed: deleted database files are still open after recycling the pool: {}",
                            scan.deletedDatabaseFiles());
                } else {
                    log.info("heal done: no deleted database handles left (old connections closed in time: {})", closed);
                }
            } else {
                healFailed = true;
            }
        }
        trend.add(scan.takenAt(), scan.open());
        FdTrend.Result growth = trend.evaluate(scan.limit(), props.trendMinIncrease());
        int budget = stats.maximum() + props.walMargin();
        int wal = scan.count(FdKind.DB_WAL);
        overBudgetStreak = wal > budget ? overBudgetStreak + 1 : 0;

        List<String> reasons = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double ratio = scan.ratio();
        if (scan.limit() > 0 && ratio >= props.criticalRatio()) {
            reasons.add(String.format(Locale.ROOT, "open descriptors at %.0f%% of the soft limit (%d of %d)",
                    ratio * 100, scan.open(), scan.limit()));
        } else if (scan.limit() > 0 && ratio >= props.warningRatio()) {
            warnings.add(String.format(Locale.ROOT, "open descriptors at %.0f%% of the soft limit (%d of %d)",
                    ratio * 100, scan.open(), scan.limit()));
        }
        if (overBudgetStreak >= props.consecutiveSamples()) {
            reasons.add(String.format(Locale.ROOT, "%d -wal handles (live SQLite connections) over the budget of %d for %d samples: a leaked connection",
                    wal, budget, overBudgetStreak));
        } else if (overBudgetStreak > 0) {
            warnings.add(String.format(Locale.ROOT, "%d -wal handles over the budget of %d (%d of %d samples)",
                    wal, budget, overBudgetStreak, props.consecutiveSamples()));
        }
        if (growth.sustained() && growth.spanSeconds() >= props.trendMinSpan().toSeconds()
                && growth.etaSeconds() <= props.horizon().toSeconds()) {
            reasons.add(String.format(Locale.ROOT, "descriptors growing %.0f/h: the soft limit is %.0f s away",
                    growth.growthPerHour(), growth.etaSeconds()));
        }
        if (healFailed) {
            reasons.add("deleted database files still open after a heal: " + scan.deletedDatabaseFiles());
        }
        if (!scan.procAvailable()) {
            warnings.add("no /proc/self/fd: only the JVM's open/max counts are known, kinds and deleted files are not");
        }
        FdLeakState next = new FdLeakState(scan, stats, budget, overBudgetStreak, growth, walMaintenance.walBytes(), heals, healFailed,
                List.copyOf(reasons), List.copyOf(warnings));
        FdLeakState previous = state.getAndSet(next);
        if (next.down() && (previous == null || !previous.reasons().equals(next.reasons()))) {
            log.error("fdLeak DOWN: {}", next.reasons());
        } else if (!next.down() && previous != null && previous.down()) {
            log.info("fdLeak UP again");
        }
    }

    /** Forgets the growth history (after an operator fixed a leak, or between tests). */
    public synchronized void resetHistory() {
        trend.clear();
        overBudgetStreak = 0;
    }

    long sampleErrors() {
        return sampleErrors;
    }

    private void sampleSafely() {
        try {
            sampleNow();
        } catch (RuntimeException | Error e) {
            sampleErrors++;
            log.error("descriptor sample failed", e);
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fd-sampler");
            t.setDaemon(true);
            return t;
        });
        sampleSafely();
        long interval = props.sampleInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sampleSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
