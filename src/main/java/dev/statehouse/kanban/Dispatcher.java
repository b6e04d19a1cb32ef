package dev.statehouse.kanban;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.statehouse.storage.StorageErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The board's timer: releases stale claims, promotes tasks whose parents are done, recovers
 * gave_up blocks. Runs on the shared pool, so a tick costs no descriptors. A failing tick is
 * logged and counted and the next one runs as usual.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int BATCH = 500;

    /** The last tick, for {@code GET /api/dispatcher}. */
    public record TickStats(Instant at, long durationMicros, int reclaimed, int promoted, int recovered, String error) {
    }

    private final DispatcherSteps kanban;
    private final KanbanProperties props;
    private final Clock clock;
    private final Timer tickTimer;
    private final Counter reclaims;
    private final Counter promotions;
    private final Counter recoveries;
    private final Counter errors;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong failedTicks = new AtomicLong();
    private volatile TickStats last;
    private volatile TickStats lastFailure;
    /** Ticks failed in a row (only the first is logged); ticks run on one thread at a time. */
    private int failingInARow;

    public Dispatcher(DispatcherSteps kanban, KanbanProperties props, Clock clock, MeterRegistry registry) {
        this.kanban = kanban;
        this.props = props;
        this.clock = clock;
        this.tickTimer = Timer.builder("statehouse.dispatcher.tick").description("Dispatcher tick duration").register(registry);
        this.reclaims = Counter.builder("statehouse.dispatcher.reclaims").description("Stale claims released").register(registry);
        this.promotions = Counter.builder("statehouse.dispatcher.promotions").description("todo tasks made ready").register(registry);
        this.recoveries = Counter.builder("statehouse.dispatcher.recoveries").description("gave_up blocks recovered").register(registry);
        this.errors = Counter.builder("statehouse.dispatcher.errors").description("Ticks that failed").register(registry);
    }

    @Scheduled(fixedDelayString = "${statehouse.kanban.dispatcher-interval:5s}",
            initialDelayString = "${statehouse.kanban.dispatcher-interval:5s}")
    public void scheduledTick() {
        tick();
    }

    /** One tick; never throws. */
    public TickStats tick() {
        org.slf4j.MDC.put("dispatcher_tick", Long.toString(ticks.get() + 1));
        try {
            return tickNow();
        } finally {
            org.slf4j.MDC.remove("dispatcher_tick");
        }
    }

    private TickStats tickNow() {
        long start = System.nanoTime();
        Instant at = clock.instant();
        int reclaimed = 0;
        int promoted = 0;
        int recovered = 0;
        String error = null;
        try {
            reclaimed = kanban.reclaimStale(BATCH);
            int[] p = kanban.promote(BATCH);
            promoted = p[0];
            recovered = p[1];
        } catch (RuntimeException e) {
            error = e.toString();
            errors.increment();
            failedTicks.incrementAndGet();
            if (failingInARow++ == 0) {
                if (StorageErrors.isUnavailable(e) || StorageErrors.isBusy(e)) { // an outage, not a bug: no stack trace
                    log.warn("dispatcher tick failed: the database cannot be reached ({}); ticks go on as scheduled,"
                            + " further failures are counted until one works", StorageErrors.rootMessage(e));
                } else {
                    log.error("dispatcher tick failed; the next tick runs as scheduled (further failures are counted until one works)", e);
                }
            }
        }
        if (error == null && failingInARow > 0) {
            log.info("dispatcher ticks work again after {} failed tick(s)", failingInARow);
            failingInARow = 0;
        }
        long nanos = System.nanoTime() - start;
        tickTimer.record(nanos, TimeUnit.NANOSECONDS);
        reclaims.increment(reclaimed);
        promotions.increment(promoted);
        recoveries.increment(recovered);
        ticks.incrementAndGet();
        TickStats stats = new TickStats(at, nanos / 1000, reclaimed, promoted, recovered, error);
        last = stats;
        if (error != null) {
            lastFailure = stats;
        }
        if (reclaimed > 0) {
            log.info("dispatcher released {} stale claim(s)", reclaimed);
        }
        return stats;
    }

    public long ticks() {
        return ticks.get();
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("interval_seconds", props.dispatcherInterval().toMillis() / 1000.0);
        status.put("ticks", ticks.get());
        status.put("failed_ticks", failedTicks.get());
        status.put("reclaimed_total", (long) reclaims.count());
        status.put("promoted_total", (long) promotions.count());
        status.put("recovered_total", (long) recoveries.count());
        status.put("last_tick", last);
        status.put("last_failure", lastFailure);
        return status;
    }
}
