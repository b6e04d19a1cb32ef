package dev.statehouse.health;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of the process's descriptor table.
 *
 * @param procAvailable false where there is no {@code /proc/self/fd} (macOS): then only
 *                      {@code open} and {@code limit} are known, from the JVM's own counters
 * @param open          descriptors open
 * @param limit         soft RLIMIT_NOFILE, or -1 if unknown
 * @param byKind        descriptors per kind (empty without /proc)
 * @param deleted       targets that were unlinked while open, confirmed by device and inode
 * @param deletedDatabaseFiles the subset of {@code deleted} that are this service's database files
 */
public record FdScan(Instant takenAt, boolean procAvailable, int open, long limit, Map<FdKind, Integer> byKind,
                     List<String> deleted, List<String> deletedDatabaseFiles, long costNanos) {

    public int count(FdKind kind) {
        return byKind.getOrDefault(kind, 0);
    }

    public double ratio() {
        return limit > 0 ? (double) open / limit : 0.0;
    }

    static Map<FdKind, Integer> emptyCounts() {
        return new EnumMap<>(FdKind.class);
    }
}
