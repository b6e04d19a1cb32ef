package dev.statehouse.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code fdLeak}: DOWN when the process is leaking descriptors, well before it runs out. Only what
 * a restart cures counts: descriptors the process holds ({@code held}), not the client connections
 * it accepted ({@code inbound}), which leave with the load. Answers from a sample at most 500 ms
 * old, taking one if the last is older, so a probe sees recovery at once.
 */
@Component("fdLeak")
public class FdLeakHealthIndicator implements HealthIndicator {

    /** A probe answers from a sample at most this old, taking one if need be. */
    private static final Duration FRESH = Duration.ofMillis(500);

    private final FdSampler sampler;

    public FdLeakHealthIndicator(FdSampler sampler) {
        this.sampler = sampler;
    }

    /**
     * The status alone when no details are to be shown (an anonymous probe: Boot asks with
     * {@code includeDetails=false}), without building the ~25 details only to drop them; the same
     * sample and the same verdict as {@link #health()}.
     */
    @Override
    public Health health(boolean includeDetails) {
        if (includeDetails) {
            return health();
        }
        return verdict(sampler.fresh(FRESH)).build();
    }

    /** UNKNOWN before the first sample, else DOWN or UP as the sample's rules decided. */
    private static Health.Builder verdict(FdLeakState state) {
        return state == null ? Health.unknown() : state.down() ? Health.down() : Health.up();
    }

    @Override
    public Health health() {
        FdLeakState state = sampler.fresh(FRESH);
        Health.Builder health = verdict(state);
        if (state == null) {
            return health.withDetail("reason", "no sample taken yet").build();
        }
        FdScan scan = state.scan();
        health.withDetail("engine", state.engine())
                .withDetail("open", scan.open())
                .withDetail("held", scan.held())
                .withDetail("inbound", scan.count(FdKind.SOCKET_INBOUND))
                .withDetail("limit", scan.limit())
                .withDetail("ratio", Math.round(scan.ratio() * 10000) / 10000.0)
                .withDetail("heldRatio", Math.round(scan.heldRatio() * 10000) / 10000.0)
                .withDetail("source", scan.procAvailable() ? "/proc/self/fd" : "jvm");
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (FdKind kind : FdKind.values()) {
            kinds.put(kind.tag(), scan.count(kind));
        }
        health.withDetail("byKind", kinds)
                .withDetail("databaseHandles", Map.of("main", scan.count(FdKind.DB_MAIN), "wal", scan.count(FdKind.DB_WAL),
                        "shm", scan.count(FdKind.DB_SHM), "journal", scan.count(FdKind.DB_JOURNAL)))
                .withDetail("walBudget", state.walBudget())
                .withDetail("databaseConnections", state.databaseConnections())
                .withDetail("overBudgetSamples", state.overBudgetStreak())
                .withDetail("pool", Map.of("active", state.pool().active(), "idle", state.pool().idle(),
                        "total", state.pool().total(), "waiting", state.pool().waiting(), "max", state.pool().maximum()))
                .withDetail("growthPerHour", Math.round(state.trend().growthPerHour() * 10) / 10.0)
                .withDetail("growthSustained", state.trend().sustained())
                .withDetail("secondsToExhaustion", secondsOrMinusOne(state.trend().etaSeconds()))
                .withDetail("windowSeconds", Math.round(state.trend().spanSeconds()))
                .withDetail("deleted", scan.deleted())
                .withDetail("heals", state.heals())
                .withDetail("sampledAt", scan.takenAt().toString())
                .withDetail("sampleMicros", scan.costNanos() / 1000)
                .withDetail("reasons", state.reasons())
                .withDetail("warnings", state.warnings());
        if (state.serverSessions() != null) {
            health.withDetail("serverSessions", state.serverSessions());
        }
        return health.build();
    }

    /** Seconds, or -1 when the count is not growing (no exhaustion in sight). */
    private static long secondsOrMinusOne(double value) {
        return Double.isFinite(value) ? Math.round(value) : -1;
    }
}
