package dev.statehouse.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, as a thread of its own ({@code db-probe}) finds by asking it
 * {@code SELECT 1} through the pool every {@code reachability-interval}. Readiness reads
 * {@link #status()}, which never touches the database: a probe that hangs on a frozen or cut-off
 * server holds only this thread (the driver's socket timeout and the pool's connection timeout
 * end it), and the status says DOWN once it has waited longer than {@code reachability-timeout}.
 * A server that answers again is seen at the next probe, without a restart.
 */
@Component
@ConditionalOnWebApplication // the service's probe: a command (import) has no probes to answer and must not touch the database first
public class DatabaseReachability implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabaseReachability.class);

    /**
     * What readiness reports: whether the last probe answered in time, since when the database has
     * not ({@code downSince}, null while it answers), the last answer and the last error.
     */
    public record Status(boolean reachable, Instant lastAnswer, Instant downSince, double waitingSeconds, String error) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final long intervalMillis;
    private final long timeoutNanos;
    /** When the probe under way started (0: none is), on the monotonic clock and the wall clock. */
    private volatile long probeStartedNanos;
    private volatile Instant probeStartedAt;
    private volatile long lastAnswerNanos;
    private volatile Instant lastAnswer;
    /** Why the last probe failed; null when it answered. */
    private volatile String lastError = "not probed yet";
    /** When the first of the failed probes in a row started; null while the database answers. */
    private volatile Instant downSince;
    private volatile Thread thread;

    public DatabaseReachability(JdbcTemplate jdbc, StorageProperties props, Clock clock) {
        this.jdbc = new JdbcTemplate(jdbc.getDataSource()); // the one pool, with a query timeout of its own
        this.jdbc.setQueryTimeout((int) Math.max(1, props.reachabilityTimeout().toSeconds()));
        this.clock = clock;
        this.intervalMillis = Math.max(50, props.reachabilityInterval().toMillis());
        this.timeoutNanos = props.reachabilityTimeout().toNanos();
    }

    /** The last probe's verdict, from memory: never waits on the database. */
    public Status status() {
        long now = System.nanoTime();
        long started = probeStartedNanos;
        long waitingNanos = started == 0 ? 0 : now - started;
        boolean answeredRecently = lastAnswer != null && now - lastAnswerNanos <= timeoutNanos + 2_000_000L * intervalMillis;
        String error = lastError;
        boolean reachable = error == null && answeredRecently && waitingNanos <= timeoutNanos;
        if (reachable) {
            return new Status(true, lastAnswer, null, waitingNanos / 1e9, null);
        }
        if (error == null) {
            error = String.format(java.util.Locale.ROOT, "no answer from the database for %.1f s", waitingNanos / 1e9);
        }
        Instant since = downSince != null ? downSince : probeStartedAt;
        return new Status(false, lastAnswer, since, waitingNanos / 1e9, error);
    }

    /** One probe, on the caller's thread (the probe thread). */
    void probe() {
        probeStartedAt = clock.instant();
        probeStartedNanos = System.nanoTime();
        try {
            jdbc.queryForObject("SELECT 1", Integer.class);
            if (lastError != null && lastAnswer != null) {
                log.info("the database answers again (unreachable since {})", downSince);
            }
            lastAnswerNanos = System.nanoTime();
            lastAnswer = clock.instant();
            lastError = null;
            downSince = null;
        } catch (RuntimeException e) {
            String message = StorageErrors.rootMessage(e);
            if (lastError == null) {
                log.warn("the database does not answer: {}", message);
            }
            if (downSince == null) {
                downSince = probeStartedAt;
            }
            lastError = message;
        } finally {
            probeStartedNanos = 0;
        }
    }

    private void run() {
        while (thread == Thread.currentThread()) {
            probe();
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            probe(); // readiness has a verdict from the first request on
            Thread t = new Thread(this::run, "db-probe");
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** How long readiness lets one probe run before it calls the database unreachable. */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }
}
