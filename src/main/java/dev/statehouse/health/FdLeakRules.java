package dev.statehouse.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.statehouse.storage.PoolControl;

/**
 * fdLeak's rules, applied to one sample: what fails liveness ({@code reasons}) and what is worth a
 * look ({@code warnings}). The rules: descriptors near the soft limit; the pool's connections over
 * their budget for {@code consecutive-samples} samples (a leaked connection); a growth trend that
 * reaches the limit within the horizon; deleted database files still open after a heal; and the
 * engine's own ({@link DatabaseConnections#serverRules}). Keeps the trend and the over-budget streak
 * between samples; called by one sampler at a time.
 */
final class FdLeakRules {

    private final FdLeakProperties props;
    private final DatabaseConnections connections;
    private final StorageDetails storage;
    private final FdTrend trend;
    private int overBudgetStreak;

    FdLeakRules(FdLeakProperties props, DatabaseConnections connections, StorageDetails storage) {
        this.props = props;
        this.connections = connections;
        this.storage = storage;
        this.trend = new FdTrend(props.window());
    }

    FdLeakState evaluate(FdScan scan, PoolControl.PoolStats stats, long heals, boolean healFailed) {
        trend.add(scan.monotonicNanos(), scan.held());
        FdTrend.Result growth = trend.evaluate(scan.limit(), props.trendMinIncrease());
        int budget = stats.maximum() + props.walMargin();
        int open = connections.count(scan);
        overBudgetStreak = open > budget ? overBudgetStreak + 1 : 0;

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
                    open, connections.counted(), budget, overBudgetStreak));
        } else if (overBudgetStreak > 0) {
            warnings.add(String.format(Locale.ROOT, "%d %s over the budget of %d (%d of %d samples)",
                    open, connections.counted(), budget, overBudgetStreak, props.consecutiveSamples()));
        }
        Map<String, Object> server = connections.serverRules(props, reasons, warnings);
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
        return new FdLeakState(scan, stats, budget, overBudgetStreak, growth, storage.walBytes(), heals, healFailed,
                List.copyOf(reasons), List.copyOf(warnings), storage.engine(), open, server);
    }

    /** Forgets the growth history and the streak. */
    void reset() {
        trend.clear();
        overBudgetStreak = 0;
    }
}
