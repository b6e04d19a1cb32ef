package dev.statehouse.health;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of the process's descriptor table.
 *
 * @param monotonicNanos {@link System#nanoTime()} when taken: durations between scans use this, never the wall clock
 * @param procAvailable false where there is no {@code /proc/self/fd} (macOS): then only
 *                      {@code open} and {@code limit} are known, from the JVM's own counters
 * @param open          descriptors open
 * @param limit         soft RLIMIT_NOFILE, or -1 if unknown
 * @param byKind        descriptors per kind (empty without /proc)
 * @param deleted       targets that were unlinked while open, confirmed by device and inode
 * @param deletedDatabaseFiles the subset of {@code deleted} that are this service's database files
 */
public record FdScan(Instant takenAt, long monotonicNanos, boolean procAvailable, int open, long limit, Map<FdKind, Integer> byKind,
                     List<String> deleted, List<String> deletedDatabaseFiles, long costNanos) {

    public int count(FdKind kind) {
        return byKind.getOrDefault(kind, 0);
    }

    /** All open descriptors against the soft limit: what load shedding looks at. */
    public double ratio() {
        return limit > 0 ? (double) open / limit : 0.0;
    }

    /**
     * Descriptors the process itself holds: all but accepted client connections, which leave when
     * the load does and which a restart would not cure. What the liveness rules look at.
     */
    public int held() {
        return open - count(FdKind.SOCKET_INBOUND);
    }

    public double heldRatio() {
        return limit > 0 ? (double) held() / limit : 0.0;
    }

    static Map<FdKind, Integer> emptyCounts() {
        return new EnumMap<>(FdKind.class);
    }
}
