package dev.statehouse.kanban;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxConsecutiveFailures the failure breaker: after this many failed runs in a row a task
 *                               is blocked with kind {@code gave_up}
 * @param defaultLeaseSeconds    lease of a claim that names no ttl
 * @param maxLeaseSeconds        longest lease a worker may ask for
 * @param dispatcherInterval     time between dispatcher ticks
 * @param maxWatchers            SSE subscribers allowed at once, over all boards
 * @param watcherTimeout         an SSE stream is closed after this long (clients reconnect with Last-Event-ID)
 * @param watcherPing            a comment is sent this often, so a vanished watcher is noticed and freed
 * @param maxClaimBatch          most tasks one batch claim ({@code POST /api/boards/{slug}/claims/batch}) may take
 * @param relayInterval          PostgreSQL: how often each replica reads new board events (and at once after it commits one)
 * @param maxReplay              most missed events a reconnecting watcher is sent; one further behind is sent a
 *                               {@code reload} event instead (never a silent gap), and live events after it
 */
@ConfigurationProperties("statehouse.kanban")
public record KanbanProperties(
        @DefaultValue("3") int maxConsecutiveFailures,
        @DefaultValue("300") int defaultLeaseSeconds,
        @DefaultValue("86400") int maxLeaseSeconds,
        @DefaultValue("5s") Duration dispatcherInterval,
        @DefaultValue("64") int maxWatchers,
        @DefaultValue("30m") Duration watcherTimeout,
        @DefaultValue("15s") Duration watcherPing,
        @DefaultValue("100") int maxClaimBatch,
        @DefaultValue("1000") int maxReplay,
        @DefaultValue("250ms") Duration relayInterval) {

    public KanbanProperties {
        if (maxReplay < 1) {
            throw new IllegalArgumentException("statehouse.kanban.max-replay must be at least 1, was " + maxReplay);
        }
    }
}
