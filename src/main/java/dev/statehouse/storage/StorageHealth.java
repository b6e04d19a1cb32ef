package dev.statehouse.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.statehouse.storage.StorageErrors.StorageFault;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Whether the service's database can be written right now, as the writes themselves and a small
 * write probe show it. Every failed write reports its {@link StorageFault}; every committed write
 * clears it. While a fault stands, a probe (a real committed write that changes nothing, per engine:
 * {@link WriteProbe}) runs every second, so writes are seen to work again
 * the moment space returns or the mount is writable; while none does, the probe runs every
 * {@code statehouse.storage.write-probe-interval} so a mount that turned read-only under an idle
 * service is found too.
 */
@Component
public class StorageHealth {

    private static final Logger log = LoggerFactory.getLogger(StorageHealth.class);

    /** The standing fault (null: writes work), since when, and what SQLite said. */
    public record Status(StorageFault fault, Instant since, String detail, Instant lastWrite) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final long probeIntervalNanos;
    private final WriteProbe writeProbe;
    private final AtomicLong lastProbe = new AtomicLong(System.nanoTime());
    private volatile Status status;

    public StorageHealth(JdbcTemplate jdbc, TransactionTemplate tx, WriteProbe writeProbe,
                         Clock clock, MeterRegistry registry, StorageProperties props) {
        Duration probeInterval = props.writeProbeInterval();
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.probeIntervalNanos = probeInterval.toNanos();
        this.writeProbe = writeProbe;
        this.status = new Status(null, clock.instant(), null, null);
        // SQLite: every commit clears a fault at once; PostgreSQL: the probe does, within a second
        writeProbe.onEveryCommit(this::writeSucceeded);
        for (StorageFault fault : StorageFault.values()) {
            Gauge.builder("statehouse.storage.fault", this, h -> h.status.fault() == fault ? 1 : 0)
                    .tag("fault", fault.name().toLowerCase(java.util.Locale.ROOT))
                    .description("1 while writes to the database fail for this reason").register(registry);
        }
    }

    public Status status() {
        return status;
    }

    /** A write committed: any standing fault is over. Cheap when there is none (one volatile read). */
    public void writeSucceeded() {
        Status current = status;
        if (current.fault() != null) {
            status = new Status(null, clock.instant(), null, clock.instant());
            log.warn("database writes work again (after {} since {})", current.fault(), current.since());
        }
    }

    /** A write failed; records the fault when the failure is about the storage, and says which. */
    public StorageFault writeFailed(Throwable e) {
        StorageFault fault = StorageErrors.fault(e);
        if (fault != null) {
            Status current = status;
            if (current.fault() != fault) {
                status = new Status(fault, clock.instant(), StorageErrors.rootMessage(e), current.lastWrite());
                log.error("database writes failing: {} ({})", fault, StorageErrors.rootMessage(e));
            }
        }
        return fault;
    }

    /** Probes every second while a fault stands, else every probe interval. */
    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    public void scheduledProbe() {
        if (status.fault() != null || System.nanoTime() - lastProbe.get() >= probeIntervalNanos) {
            probe();
        }
    }

    /** One committed write that changes nothing; returns whether it worked. */
    public boolean probe() {
        lastProbe.set(System.nanoTime());
        try {
            tx.executeWithoutResult(s -> writeProbe.write(jdbc));
            writeSucceeded();
            return true;
        } catch (RuntimeException e) {
            if (writeFailed(e) == null) {
                log.debug("write probe inconclusive: {}", e.toString());
            }
            return false;
        }
    }
}
