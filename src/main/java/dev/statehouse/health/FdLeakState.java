package dev.statehouse.health;

import java.util.List;
import java.util.Map;

import dev.statehouse.storage.PoolControl.PoolStats;

/**
 * Everything the last sample concluded; the health endpoint and the gauges read only this, so they
 * answer at once however loaded the process is.
 *
 * @param reasons  the rules that fired (empty: UP)
 * @param warnings conditions worth a look that do not fail liveness
 * @param serverSessions what the engine's server said of this pod's sessions (PostgreSQL), null where none
 */
record FdLeakState(FdScan scan, PoolStats pool, int walBudget, int overBudgetStreak, FdTrend.Result trend,
                   long walBytes, long heals, boolean healFailed, List<String> reasons, List<String> warnings,
                   String engine, int databaseConnections, Map<String, Object> serverSessions) {

    boolean down() {
        return !reasons.isEmpty();
    }
}
