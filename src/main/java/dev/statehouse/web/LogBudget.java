package dev.statehouse.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many warning or error lines one client (by remote address) may cause per minute, so that no
 * client can fill the disk with the service's log. Past the budget its lines are counted, and the
 * count is reported in the first line of the next minute. At most {@code MAX_CLIENTS} addresses are
 * tracked; when the table is full, addresses quiet for over a minute are dropped (at most one sweep a
 * minute), so clients that come and go over months never fill it; a wider flood at once shares one budget.
 */
final class LogBudget {

    private static final int MAX_CLIENTS = 4096;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier nanos;
    private volatile long lastSweep;

    private static final class Window {
        volatile long start;
        final AtomicInteger used = new AtomicInteger();
        final AtomicInteger suppressed = new AtomicInteger();
    }

    LogBudget(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    /** With a clock of nanoseconds ({@link System#nanoTime()} but in tests). */
    LogBudget(int perMinute, java.util.function.LongSupplier nanos) {
        this.perMinute = perMinute;
        this.nanos = nanos;
        this.lastSweep = nanos.getAsLong() - MINUTE_NANOS - 1;
    }

    /**
     * Whether this client may log one more line now: -1 when not, else how many of its lines were
     * suppressed since its last allowed one (to be mentioned in that line).
     */
    int take(String client) {
        long now = nanos.getAsLong();
        if (windows.size() >= MAX_CLIENTS && !windows.containsKey(client) && now - lastSweep > MINUTE_NANOS) {
            lastSweep = now;
            windows.values().removeIf(old -> now - old.start > MINUTE_NANOS);
        }
        String key = windows.size() >= MAX_CLIENTS && !windows.containsKey(client) ? "*" : client;
        Window w = windows.computeIfAbsent(key, k -> {
            Window fresh = new Window();
            fresh.start = now;
            return fresh;
        });
        if (now - w.start > MINUTE_NANOS) {
            synchronized (w) {
                if (now - w.start > MINUTE_NANOS) {
                    w.start = now;
                    w.used.set(0);
                }
            }
        }
        if (w.used.incrementAndGet() > perMinute) {
            w.suppressed.incrementAndGet();
            return -1;
        }
        return w.suppressed.getAndSet(0);
    }

    /** Addresses tracked (for tests). */
    int clients() {
        return windows.size();
    }
}
