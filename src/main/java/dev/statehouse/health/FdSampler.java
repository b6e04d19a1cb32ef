package dev.statehouse.health;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.statehouse.storage.CheckpointStoreProperties;
import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.ResourcesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Samples the descriptor table on its own thread, heals deleted database handles by recycling the
 * pool, applies the leak rules ({@link FdLeakRules}) and publishes one immutable {@link FdLeakState};
 * counts open descriptors for the API's 503 shedding ({@link #underPressure}).
 * <p>
 * A probe never waits on the database: a rule that asks the server
 * ({@link DatabaseConnections#serverRules}) runs on a thread of its own, and a sample uses its last
 * answer; a probe that finds the last sample too old takes a new one only if no other sample is
 * under way (else it answers from the last one).
 */
@Component
public class FdSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FdSampler.class);

    private final FdInspector inspector;
    private final PoolControl pool;
    private final FdLeakProperties props;
    private final FdLeakRules rules;
    private final DatabaseConnections connections;
    private final AtomicReference<FdLeakState> state = new AtomicReference<>();
    private static final long PRESSURE_MAX_AGE_NANOS = 100_000_000L;

    private ScheduledExecutorService executor;
    /** Held while a sample is taken; a probe only tries it. */
    private final java.util.concurrent.locks.ReentrantLock sampling = new java.util.concurrent.locks.ReentrantLock();

    private volatile long pressureCountedAt = Long.MIN_VALUE / 2;
    private volatile int pressureOpen;
    private long heals;
    private long sampleErrors;

    public FdSampler(DatabaseLocation database, PoolControl pool, DatabaseConnections connections, StorageDetails storage,
                     FdLeakProperties props, Clock clock, ResourcesProperties resources, CheckpointStoreProperties checkpoints) {
        this.inspector = new FdInspector(database, List.of(Path.of(resources.root()), checkpoints.path()), clock);
        this.pool = pool;
        this.props = props;
        this.connections = connections;
        this.rules = new FdLeakRules(props, connections, storage);
    }

    /** The last published state; null before the first sample. */
    FdLeakState state() {
        return state.get();
    }

    public FdInspector inspector() {
        return inspector;
    }

    /**
     * Asks the database what its rules need (PostgreSQL: this pod's sessions), then takes a sample,
     * both on the caller's thread: what a test or an operator's tool calls to see the state of this moment.
     */
    public void sampleNow() {
        connections.askNow();
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
        FdLeakState next = rules.evaluate(scan, stats, heals, healFailed);
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
            rules.reset();
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
        connections.start();
        sampleSafely();
        executor.scheduleWithFixedDelay(this::sampleSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        connections.stop();
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
