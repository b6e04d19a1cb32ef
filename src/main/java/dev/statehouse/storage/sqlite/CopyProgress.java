package dev.statehouse.storage.sqlite;

import java.io.PrintStream;
import java.util.Map;

/**
 * The copy's progress on standard error: on a terminal one line redrawn at most four times a second
 * (table, rows of it, a bar over all rows, rows per second); elsewhere (a log, a pipe) one line per
 * table when it is done.
 */
final class CopyProgress {

    private final PrintStream err;
    private final Map<String, Long> totals;
    private final long all;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long before;
    private long lastDraw;

    CopyProgress(PrintStream err, Map<String, Long> totals) {
        this.err = err;
        this.totals = totals;
        this.all = Math.max(1, totals.values().stream().mapToLong(Long::longValue).sum());
    }

    void at(String table, long rows) {
        long now = System.nanoTime();
        if (terminal && now - lastDraw > 250_000_000L) {
            lastDraw = now;
            err.print("\r" + line(table, rows) + "   ");
            err.flush();
        }
    }

    void done(String table) {
        long rows = totals.get(table);
        err.print((terminal ? "\r" : "") + line(table, rows) + "\n");
        before += rows;
        err.flush();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private String line(String table, long rows) {
        long copied = before + rows;
        int width = 30;
        int filled = (int) (width * copied / all);
        return String.format("copying %-22s %,12d / %,d  [%s%s] %3d%%  %,.0f rows/s", table, rows, totals.get(table), "#".repeat(filled),
                ".".repeat(width - filled), 100 * copied / all, copied / Math.max(seconds(), 0.001));
    }
}
