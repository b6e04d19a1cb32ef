package dev.statehouse.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.StatehouseDataSource;
import dev.statehouse.storage.sqlite.WalMaintenance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wall clock jumps back an hour between two samples (NTP, a VM restored from a snapshot): the
 * growth window is measured on the monotonic clock, so it never turns negative and the samples
 * before the jump stay in it.
 */
class FdSamplerClockTest {

    @Test
    void aWallClockJumpBackNeitherShrinksNorInvertsTheWindow() throws Exception {
        Path dir = Files.createTempDirectory("clock-jump");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T12:00:00Z"));
        Clock jumping = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        DatabaseLocation db = new DatabaseLocation(dir.resolve("state.db"));
        FdLeakProperties props = new FdLeakProperties(Duration.ofSeconds(5), Duration.ofMinutes(30), 0.9, 0.75, 4, 3,
                Duration.ofHours(1), Duration.ofMinutes(5), 32, false, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (StatehouseDataSource unstarted = new StatehouseDataSource()) {
            WalMaintenance wal = new WalMaintenance(new JdbcTemplate(), db, jumping, new SimpleMeterRegistry(), "WAL",
                    DataSize.ofMegabytes(64), Duration.ofMillis(100), 5000, true);
            FdSampler sampler = new FdSampler(db, new PoolControl(unstarted), new dev.statehouse.health.sqlite.SqliteConnections(),
                    new dev.statehouse.health.sqlite.SqliteStorageDetails(wal, db, new dev.statehouse.storage.FreeSpace() {
                        @Override
                        public long reclaim(long deadlineNanos) {
                            return 0;
                        }

                        @Override
                        public String mode() {
                            return "incremental";
                        }
                    }), props, jumping,
                    new dev.statehouse.storage.ResourcesProperties(dir.resolve("resources").toString()),
                    new dev.statehouse.storage.CheckpointStoreProperties(dir.resolve("checkpoints").toString(), Duration.ofSeconds(10)));
            sampler.sampleNow();
            Thread.sleep(20);
            now.set(now.get().minus(Duration.ofHours(1)));
            sampler.sampleNow();
            Thread.sleep(20);
            sampler.sampleNow();
            FdTrend.Result trend = sampler.state().trend();
            assertThat(trend.points()).as("no sample dropped by the jump").isEqualTo(3);
            assertThat(trend.spanSeconds()).isPositive().isLessThan(5);
        }
    }
}
