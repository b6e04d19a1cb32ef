package dev.statehouse.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A window of (time, descriptors) samples and the least-squares growth over it. Times are
 * {@link System#nanoTime()} readings: a wall-clock jump (NTP, a VM resumed) can neither shrink
 * nor stretch the window. Not thread-safe: the sampler owns it.
 */
final class FdTrend {

    record Point(long nanos, int open) {
    }

    /**
     * @param growthPerHour   least-squares slope, descriptors per hour (0 with fewer than 2 points)
     * @param etaSeconds      seconds until the soft limit at that slope, +Inf when not growing
     * @param sustained       the count rose inside each third of the window, and by the minimum increase
     * @param spanSeconds     time covered by the window's points
     */
    record Result(double growthPerHour, double etaSeconds, boolean sustained, double spanSeconds, int points) {
    }

    private final Deque<Point> points = new ArrayDeque<>();
    private final long windowNanos;

    FdTrend(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** A sample at monotonic time {@code nanos} ({@link System#nanoTime()}); earlier ones past the window are dropped. */
    void add(long nanos, int open) {
        points.addLast(new Point(nanos, open));
        while (!points.isEmpty() && nanos - points.peekFirst().nanos() > windowNanos) {
            points.removeFirst();
        }
    }

    void clear() {
        points.clear();
    }

    Result evaluate(long limit, int minIncrease) {
        int n = points.size();
        if (n < 2) {
            return new Result(0, Double.POSITIVE_INFINITY, false, 0, n);
        }
        long t0 = points.peekFirst().nanos();
        double sumX = 0, sumY = 0, sumXX = 0, sumXY = 0;
        for (Point p : points) {
            double x = seconds(t0, p.nanos());
            double y = p.open();
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumXY += x * y;
        }
        double denominator = n * sumXX - sumX * sumX;
        double slope = denominator == 0 ? 0 : (n * sumXY - sumX * sumY) / denominator; // per second
        Point last = points.peekLast();
        double span = seconds(t0, last.nanos());
        double eta = Double.POSITIVE_INFINITY;
        if (slope > 0 && limit > 0 && limit != Long.MAX_VALUE) {
            eta = Math.max(0, (limit - last.open()) / slope);
        }
        return new Result(slope * 3600, eta, sustained(t0, span, minIncrease), span, n);
    }

    /**
     * Growth spread over the window, not one burst: the count rose inside each third of the
     * window (a step lies inside one third at most, or on a boundary, inside none), and by at
     * least {@code minIncrease} overall.
     */
    private boolean sustained(long t0, double span, int minIncrease) {
        if (span <= 0) {
            return false;
        }
        int[] first = new int[3];
        int[] last = new int[3];
        boolean[] seen = new boolean[3];
        for (Point p : points) {
            int third = (int) Math.min(2, Math.floor(seconds(t0, p.nanos()) / span * 3));
            if (!seen[third]) {
                first[third] = p.open();
                seen[third] = true;
            }
            last[third] = p.open();
        }
        for (int i = 0; i < 3; i++) {
            if (!seen[i] || last[i] <= first[i]) {
                return false;
            }
        }
        return points.peekLast().open() - points.peekFirst().open() >= minIncrease;
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
