package dev.statehouse.health;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.DatabaseReachability;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.PostgresProperties;
import dev.statehouse.health.postgres.PostgresConnections;
import dev.statehouse.health.postgres.PostgresStorageDetails;
import dev.statehouse.storage.postgres.PostgresSessions;
import dev.statehouse.storage.StorageProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probes answer from memory while the database hangs, without a server: a data source whose
 * connections stop answering stands for a frozen PostgreSQL. Liveness' {@code fdLeak} keeps
 * answering at once while the server-side session check is stuck; readiness' {@code db} answers at
 * once too, and says DOWN once the stuck probe has waited past its timeout, UP when it answers again.
 */
class ProbesNeverWaitTest {

    /** Connections from {@code delegate}, unless frozen: then getConnection waits until thawed. */
    private static final class FreezableDataSource implements DataSource {
        private final DataSource delegate;
        private final AtomicReference<CountDownLatch> frozen = new AtomicReference<>();

        FreezableDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        void freeze() {
            frozen.set(new CountDownLatch(1));
        }

        void thaw() {
            frozen.getAndSet(null).countDown();
        }

        @Override
        public Connection getConnection() throws SQLException {
            CountDownLatch latch = frozen.get();
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    throw new SQLException("interrupted", "08006", e);
                }
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static StorageProperties storage(Duration interval, Duration timeout) {
        return new StorageProperties("./data/state.db", "WAL", 5000, 64, 32, true, Duration.ofSeconds(60), DataSize.ofMegabytes(64),
                Duration.ofMillis(100), Duration.ofSeconds(10), "none", interval, timeout);
    }

    /** Milliseconds one call of {@code health} took. */
    private static long millis(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void readinessDbAnswersAtOnceWhileTheDatabaseHangsAndSaysDownPastTheTimeout() throws Exception {
        Path dir = Files.createTempDirectory("probes-db");
        FreezableDataSource ds = new FreezableDataSource(new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("db")));
        DatabaseReachability reachability = new DatabaseReachability(new JdbcTemplate(ds),
                storage(Duration.ofMillis(100), Duration.ofSeconds(1)), Clock.systemUTC());
        DatabaseHealthIndicator db = new DatabaseHealthIndicator(reachability);
        reachability.start();
        try {
            assertThat(db.health().getStatus()).isEqualTo(Status.UP);
            ds.freeze();
            long[] slowest = {0};
            Health health = await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                Health[] last = new Health[1];
                slowest[0] = Math.max(slowest[0], millis(() -> last[0] = db.health()));
                return last[0];
            }, h -> h.getStatus() != Status.UP);
            assertThat(health.getStatus()).as("DOWN once the stuck probe waited past 1 s").isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("no answer from the database for");
            assertThat(health.getDetails()).containsKey("downSince");
            for (int i = 0; i < 20; i++) {
                slowest[0] = Math.max(slowest[0], millis(db::health));
            }
            assertThat(slowest[0]).as("ms for one readiness check while the database hangs").isLessThan(50);
            ds.thaw();
            await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(db.health().getStatus()).as("UP again once the database answers").isEqualTo(Status.UP));
        } finally {
            reachability.stop();
        }
    }

    @Test
    void livenessAnswersAtOnceWhileTheServerSideSessionCheckIsStuck() throws Exception {
        Path dir = Files.createTempDirectory("probes-fd");
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:sqlite:" + dir.resolve("pool.db"));
            pool.setMinimumIdle(2);
            pool.setMaximumPoolSize(2);
            pool.getConnection().close(); // started, with an idle connection
            PostgresSessions frozenServer = new PostgresSessions(new JdbcTemplate(pool),
                    new PostgresProperties(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60), "statehouse-test",
                            Duration.ofSeconds(5), null)) {
                @Override
                public Sessions sample() {
                    stuck.countDown();
                    try {
                        release.await(); // the server does not answer
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Sessions(1, java.util.List.of());
                }
            };
            DatabaseLocation db = new DatabaseLocation(dir.resolve("state.db"));
            FdLeakProperties props = new FdLeakProperties(Duration.ofSeconds(5), Duration.ofMinutes(30), 0.9, 0.75, 4, 3,
                    Duration.ofHours(1), Duration.ofMinutes(5), 32, false, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30));
            FdSampler sampler = new FdSampler(db, new PoolControl(pool), new PostgresConnections(frozenServer, new PoolControl(pool), props),
                    new PostgresStorageDetails(), props, Clock.systemUTC(),
                    new dev.statehouse.storage.ResourcesProperties(dir.resolve("resources").toString()),
                    new dev.statehouse.storage.CheckpointStoreProperties(dir.resolve("checkpoints").toString(), Duration.ofSeconds(10)));
            FdLeakHealthIndicator fdLeak = new FdLeakHealthIndicator(sampler);
            Thread sampling = new Thread(sampler::sampleNow, "stuck-sample");
            sampling.start();
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
            long slowest = 0;
            Health health = null;
            for (int i = 0; i < 10; i++) { // past the 500 ms a sample stays fresh: every call may sample anew
                Health[] last = new Health[1];
                slowest = Math.max(slowest, millis(() -> last[0] = fdLeak.health()));
                health = last[0];
                Thread.sleep(100);
            }
            assertThat(slowest).as("ms for one liveness check while the server does not answer").isLessThan(200);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            release.countDown();
            sampling.join(5000);
        }
    }
}
