package dev.statehouse.kanban;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the board keeps, and for how long ({@code statehouse.retention.*}); validated once at start.
 *
 * @param enabled            whether {@link Retention} prunes at all
 * @param events             a board event older than this is pruned, unless it belongs to a run still running
 * @param runs               a finished run (completed, failed, blocked, reclaimed) that ended longer ago than this is pruned
 * @param doneTasks          a done or archived task untouched for longer than this is deleted with its comments, runs and events,
 *                           unless a task not yet finished depends on it; {@code 0} keeps finished tasks for ever
 * @param maxEventsPerBoard  a board keeps at most this many events; the oldest beyond it are pruned first
 * @param batchSize          rows deleted per transaction: each batch holds the write turn (SQLite) or its row locks (PostgreSQL) briefly
 * @param budget             the most time one round spends; what is left waits for the next round
 * @param interval           time between rounds
 */
@ConfigurationProperties("statehouse.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("7d") Duration events,
        @DefaultValue("7d") Duration runs,
        @DefaultValue("90d") Duration doneTasks,
        @DefaultValue("100000") int maxEventsPerBoard,
        @DefaultValue("500") int batchSize,
        @DefaultValue("2s") Duration budget,
        @DefaultValue("1m") Duration interval) {

    public RetentionProperties {
        if (events.isNegative() || events.isZero() || runs.isNegative() || runs.isZero()) {
            throw new IllegalArgumentException("statehouse.retention.events and .runs must be positive, were " + events + " and " + runs);
        }
        if (doneTasks.isNegative()) {
            throw new IllegalArgumentException("statehouse.retention.done-tasks must be 0 (keep) or positive, was " + doneTasks);
        }
        if (maxEventsPerBoard < 1 || batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("statehouse.retention.max-events-per-board must be at least 1 and batch-size 1 to 10000,"
                    + " were " + maxEventsPerBoard + " and " + batchSize);
        }
        if (budget.isNegative() || budget.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("statehouse.retention.budget and .interval must be positive");
        }
    }

    /** Whether finished tasks are ever deleted ({@code done-tasks} is not 0). */
    public boolean prunesTasks() {
        return !doneTasks.isZero();
    }
}
