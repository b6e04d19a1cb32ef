package dev.statehouse.health;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.PostgresSessions;
import dev.statehouse.storage.ResourcesProperties;
import dev.statehouse.storage.WalMaintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Samples the descriptor table on its own thread, applies the four leak rules, heals deleted
 * database handles by recycling the pool, and publishes one immutable {@link FdLeakState}.
 * <p>
 * A probe never waits on the database: the one rule that asks the server (PostgreSQL's sessions of
 * this pod, {@link ServerSessionCheck}) runs on a thread of its own, and a sample uses its last
 * answer; a probe that finds the last sample too old takes a new one only if no other sample is
 * under way (else it answers from the last one).
 */
@Component
public class FdSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FdSampler.class);

    private final FdInspector inspector;
    private final PoolControl pool;
    private final FdLeakProperties props;
    private final WalMaintenance walMaintenance;
    private final FdTrend trend;
    /** PostgreSQL: this pod's sessions as the server sees them; null on SQLite. */
    private final ServerSessionCheck server;
    private final boolean onFile;
    private final AtomicReference<FdLeakState> state = new AtomicReference<>();
    private static final long PRESSURE_MAX_AGE_NANOS = 100_000_000L;

    private ScheduledExecutorService executor;
    /** Held while a sample is taken; a probe only tries it. */
    private final java.util.concurrent.locks.ReentrantLock sampling = new java.util.concurrent.locks.ReentrantLock();

    private volatile long pressureCountedAt = Long.MIN_VALUE / 2;
    private volatile int pressureOpen;
    private int overBudgetStreak;
    private long heals;
    private long sampleErrors;

    public FdSampler(DatabaseLocation database, PoolControl pool, ObjectProvider<WalMaintenance> wal, FdLeakProperties props, Clock clock,
                     ResourcesProperties resources,
                     @Value("${statehouse.checkpoints.dir:./data/checkpoints}") String checkpointsDir,
                     ObjectProvider<PostgresSessions> sessions) {
        PostgresSessions serverSessions = sessions.getIfAvailable();
        this.server = serverSessions == null ? null : new ServerSessionCheck(serverSessions, pool, props.sampleInterval());
        this.onFile = database.isFile();
        this.inspector = new FdInspector(database, List.of(Path.of(resources.root()), Path.of(checkpointsDir)), clock);
        this.pool = pool;
        this.props = props;
        this.walMaintenance = wal.getIfAvailable(); // null on PostgreSQL
        this.trend = new FdTrend(props.window());
    }

    /** The last published state; null before the first sample. */
    FdLeakState state() {
        return state.get();
    }

    public FdInspector inspector() {
        return inspector;
    }

    /**
     * Asks the server about this pod's sessions (PostgreSQL), then takes a sample, both on the
     * caller's thread: what a test or an operator's tool calls to see the state of this moment.
     */
    public void sampleNow() {
        if (server != null) {
            server.ask();
        }
        sample();
    }

    /** Takes a sample on the caller's thread from the server's last answer (the sampler thread calls this). */
    void sample() {
        sampling.lock();
        try {
            sampleLocked();
        } finally {
            sampling.unlock();
        }
    }

    private void sampleLocked() {
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
        trend.add(scan.monotonicNanos(), scan.held());
        FdTrend.Result growth = trend.evaluate(scan.limit(), props.trendMinIncrease());
        int budget = stats.maximum() + props.walMargin();
        // SQLite: one -wal handle per live connection; PostgreSQL: one socket to the server per connection
        int connections = onFile ? scan.count(FdKind.DB_WAL) : scan.count(FdKind.SOCKET_DATABASE);
        String what = onFile ? "-wal handles (live SQLite connections)" : "connections to the database server";
        overBudgetStreak = connections > budget ? overBudgetStreak + 1 : 0;

        List<String> reasons = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double ratio = scan.heldRatio();
        if (scan.limit() > 0 && ratio >= props.criticalRatio()) {
            reasons.add(String.format(Locale.ROOT, "descriptors held by the process at %.0f%% of the soft limit (%d of %d, client connections not counted)",
                    ratio * 100, scan.held(), scan.limit()));
        } else if (scan.limit() > 0 && ratio >= props.warningRatio()) {
            warnings.add(String.format(Locale.ROOT, "descriptors held by the process at %.0f%% of the soft limit (%d of %d)",
                    ratio * 100, scan.held(), scan.limit()));
        }
        if (scan.limit() > 0 && scan.ratio() >= props.criticalRatio() && ratio < props.criticalRatio()) {
            warnings.add(String.format(Locale.ROOT, "%d client connections bring open descriptors to %.0f%% of the soft limit: "
                    + "the API sheds with 503 until they leave", scan.count(FdKind.SOCKET_INBOUND), scan.ratio() * 100));
        }
        if (overBudgetStreak >= props.consecutiveSamples()) {
            reasons.add(String.format(Locale.ROOT, "%d %s over the budget of %d for %d samples: a leaked connection",
                    connections, what, budget, overBudgetStreak));
        } else if (overBudgetStreak > 0) {
            warnings.add(String.format(Locale.ROOT, "%d %s over the budget of %d (%d of %d samples)",
                    connections, what, budget, overBudgetStreak, props.consecutiveSamples()));
        }
        PostgresSessions.Sessions sessions = server == null ? null : server.lastAnswer(warnings);
        if (sessions != null && !sessions.idleInTransactionSeconds().isEmpty()) {
            double longest = sessions.longestIdleInTransaction();
            String message = String.format(Locale.ROOT, "%d session(s) of this pod idle in a transaction, the longest for %.0f s "
                    + "(a connection left inside a transaction holds its locks)", sessions.idleInTransactionSeconds().size(), longest);
            if (longest >= props.idleInTransactionCritical().toMillis() / 1000.0) {
                reasons.add(message);
            } else if (longest >= props.idleInTransactionWarning().toMillis() / 1000.0) {
                warnings.add(message);
            }
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
        FdLeakState next = new FdLeakState(scan, stats, budget, overBudgetStreak, growth, walMaintenance == null ? 0 : walMaintenance.walBytes(), heals, healFailed,
                List.copyOf(reasons), List.copyOf(warnings), onFile ? "sqlite" : "postgresql", connections, sessions);
        FdLeakState previous = state.getAndSet(next);
        if (next.down() && (previous == null || !previous.reasons().equals(next.reasons()))) {
            log.error("fdLeak DOWN: {}", next.reasons());
        } else if (!next.down() && previous != null && previous.down()) {
            log.info("fdLeak UP again");
        }
    }

    /**
     * The last state if it is at most {@code maxAge} old, else a new sample taken now: a probe sees
     * what is true now (a leak fixed, clients gone), not what was true up to a sample interval ago.
     */
    FdLeakState fresh(Duration maxAge) {
        FdLeakState current = state.get();
        if ((current == null || System.nanoTime() - current.scan().monotonicNanos() > maxAge.toNanos()) && sampling.tryLock()) {
            try { // else a sample is under way (a heal may take seconds): answer from the last one
                current = state.get();
                if (current == null || System.nanoTime() - current.scan().monotonicNanos() > maxAge.toNanos()) {
                    sampleSafely();
                    current = state.get();
                }
            } finally {
                sampling.unlock();
            }
        }
        return current;
    }

    /**
     * Whether all open descriptors (client connections included) are at or past the critical ratio,
     * from a count at most {@code PRESSURE_MAX_AGE_NANOS} old: listing {@code /proc/self/fd} costs
     * microseconds, and so shedding starts and stops within that time of the load, not a sample
     * interval later. Where the listing fails (no descriptor left for it) the last sample decides.
     */
    boolean underPressure() {
        FdLeakState last = state.get();
        if (last == null || last.scan().limit() <= 0) {
            return false;
        }
        long now = System.nanoTime();
        long counted = pressureCountedAt;
        if (now - counted > PRESSURE_MAX_AGE_NANOS) {
            int open = inspector.countOpen();
            pressureOpen = open >= 0 ? open : last.scan().open();
            pressureCountedAt = now;
        }
        return (double) pressureOpen / last.scan().limit() >= props.criticalRatio();
    }

    /** Forgets the growth history (after an operator fixed a leak, or between tests). */
    public void resetHistory() {
        sampling.lock();
        try {
            trend.clear();
            overBudgetStreak = 0;
        } finally {
            sampling.unlock();
        }
    }

    long sampleErrors() {
        return sampleErrors;
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException | Error e) {
            if (sampleErrors++ == 0) {
                log.error("descriptor sample failed (further failures are counted, not logged, until one succeeds)", e);
            }
            return;
        }
        if (sampleErrors > 0) {
            log.info("descriptor sampling works again after {} failed sample(s)", sampleErrors);
            sampleErrors = 0;
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
        long interval = props.sampleInterval().toMillis();
        if (server != null) {
            server.start();
        }
        sampleSafely();
        executor.scheduleWithFixedDelay(this::sampleSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
