package dev.statehouse.health.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.postgres.PostgresSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fdLeak's one rule that asks the database (PostgreSQL: this pod's sessions in
 * {@code pg_stat_activity}), on a thread of its own ({@code fd-sampler-server}): a sample, and so a
 * probe, only ever reads its last answer. A server that does not answer holds this thread alone,
 * for at most the driver's socket timeout; meanwhile the answer grows old and a sample says so in
 * a warning instead of using it. Asks only while the pool has an idle connection, so a leak that
 * drains the pool never makes it wait for one.
 */
final class ServerSessionCheck {

    private static final Logger log = LoggerFactory.getLogger(ServerSessionCheck.class);

    /** An answer (or why there is none) and when it came. */
    private record Answer(PostgresSessions.Sessions sessions, String skipped, long atNanos) {
    }

    private final PostgresSessions sessions;
    private final PoolControl pool;
    private final long intervalMillis;
    private volatile Answer last;
    private ScheduledExecutorService executor;

    ServerSessionCheck(PostgresSessions sessions, PoolControl pool, Duration interval) {
        this.sessions = sessions;
        this.pool = pool;
        this.intervalMillis = interval.toMillis();
    }

    /** Asks the server now, on the caller's thread. */
    void ask() {
        if (pool.stats().idle() == 0) {
            last = new Answer(null, "no idle pooled connection: the server-side session check was skipped", System.nanoTime());
            return;
        }
        try {
            last = new Answer(sessions.sample(), null, System.nanoTime());
        } catch (RuntimeException e) {
            last = new Answer(null, "server-side session check failed: " + e.getMessage(), System.nanoTime());
        }
    }

    /**
     * The last answer if it is at most three intervals old, else null with a warning saying why
     * (none yet: null and no warning).
     */
    PostgresSessions.Sessions lastAnswer(List<String> warnings) {
        Answer answer = last;
        if (answer == null) {
            return null;
        }
        long age = System.nanoTime() - answer.atNanos();
        if (age > 3 * intervalMillis * 1_000_000L) {
            warnings.add(String.format(Locale.ROOT, "the server-side session check has not answered for %.0f s", age / 1e9));
            return null;
        }
        if (answer.skipped() != null) {
            warnings.add(answer.skipped());
        }
        return answer.sessions();
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fd-sampler-server");
            t.setDaemon(true);
            return t;
        });
        ask(); // at start the server answers (the start-up checks just talked to it)
        executor.scheduleWithFixedDelay(() -> {
            try {
                ask();
            } catch (RuntimeException e) { // never let the schedule end
                log.debug("server-side session check: {}", e.toString());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
