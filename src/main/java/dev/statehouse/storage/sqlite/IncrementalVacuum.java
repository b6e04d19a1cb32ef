package dev.statehouse.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.FreeSpace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQLite: gives the pages that deleted rows left free back to the file system, {@value #STEP} pages
 * per write turn ({@code PRAGMA incremental_vacuum(n)}, which moves pages from the end of the file
 * into free slots and truncates it), so that no writer waits behind it for more than one short step.
 * Works only on a database in {@code auto_vacuum=INCREMENTAL} mode: every database this service
 * created is; an older one is until {@code statehouse vacuum} converted it, and until then free pages
 * are only reused, never returned ({@link #mode()} says {@code none}).
 * <p>
 * Metrics: {@code statehouse_storage_reclaimed_bytes_total} and {@code statehouse_storage_free_bytes}
 * (free pages inside the file as last seen by a round; no scrape reads the database).
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class IncrementalVacuum implements FreeSpace {

    /** Pages per write turn: 256 pages of 4 KiB take a few milliseconds. */
    static final int STEP = 256;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Counter reclaimed;
    private final AtomicLong freeBytes = new AtomicLong(-1);
    /** Read once: only {@code statehouse vacuum} changes it, and only with the service stopped. */
    private final String mode;

    public IncrementalVacuum(JdbcTemplate jdbc, TransactionTemplate tx, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.reclaimed = Counter.builder("statehouse.storage.reclaimed").baseUnit("bytes")
                .description("Bytes of free pages given back to the file system after retention (SQLite, auto_vacuum=INCREMENTAL)")
                .register(registry);
        Gauge.builder("statehouse.storage.free", freeBytes, b -> b.get() < 0 ? Double.NaN : b.get()).baseUnit("bytes")
                .description("Free pages inside the database file, as last seen by retention (SQLite; NaN before the first round)")
                .register(registry);
        Integer v = jdbc.queryForObject("PRAGMA auto_vacuum", Integer.class);
        this.mode = v == null ? "unknown" : switch (v) {
            case 0 -> "none";
            case 1 -> "full";
            case 2 -> "incremental";
            default -> "unknown";
        };
    }

    /** {@code incremental}, {@code none} (a database from an earlier release: run {@code statehouse vacuum}) or {@code full}. */
    @Override
    public String mode() {
        return mode;
    }

    @Override
    public long reclaim(long deadlineNanos) {
        boolean incremental = "incremental".equals(mode());
        long total = 0;
        while (true) {
            Step step = tx.execute(s -> jdbc.execute((ConnectionCallback<Step>) c -> {
                try (Statement st = c.createStatement()) {
                    long before = pages(st, "freelist_count");
                    long pageSize = pages(st, "page_size");
                    if (incremental) {
                        // the pragma frees one page per step of its statement, and sqlite-jdbc steps a statement
                        // without result columns once per execute: one execute per page
                        try (PreparedStatement vacuum = c.prepareStatement("PRAGMA incremental_vacuum")) {
                            for (long i = Math.min(before, STEP); i > 0; i--) {
                                vacuum.execute();
                            }
                        }
                    }
                    long after = pages(st, "freelist_count");
                    return new Step((before - after) * pageSize, after * pageSize);
                }
            }));
            if (step == null) {
                return total;
            }
            freeBytes.set(step.freeBytes());
            reclaimed.increment(step.freed());
            total += step.freed();
            if (step.freed() == 0 || step.freeBytes() == 0 || System.nanoTime() > deadlineNanos) {
                return total;
            }
        }
    }

    private record Step(long freed, long freeBytes) {
    }

    private static long pages(Statement st, String pragma) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
