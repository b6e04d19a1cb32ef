package dev.statehouse.storage;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the rest of the service may do to the pool besides borrowing through JdbcTemplate:
 * read its gauges, and recycle every physical connection (the heal for deleted WAL/SHM handles).
 */
@Component
public class PoolControl {

    private static final Logger log = LoggerFactory.getLogger(PoolControl.class);

    private final HikariDataSource dataSource;

    public PoolControl(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record PoolStats(int active, int idle, int total, int waiting, int maximum) {
    }

    public PoolStats stats() {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool == null) { // not started yet
            return new PoolStats(0, 0, 0, 0, dataSource.getMaximumPoolSize());
        }
        return new PoolStats(pool.getActiveConnections(), pool.getIdleConnections(), pool.getTotalConnections(),
                pool.getThreadsAwaitingConnection(), dataSource.getMaximumPoolSize());
    }

    /**
     * Closes every pooled connection so that new ones open the database files afresh.
     * <p>
     * SQLite shares one {@code -shm} mapping among all connections of a process to the same
     * database, so as long as one old connection stays open a new one would attach to the old
     * (possibly unlinked) {@code -shm}. Where the pool allows suspension, borrowing pauses until
     * every old connection has returned and closed ({@code allClosed}), at most {@code maxWait};
     * otherwise connections are soft-evicted (idle ones now, busy ones when returned).
     *
     * @return true when every old connection was seen closed before the pool refilled
     */
    public boolean recycleConnections(Duration maxWait, BooleanSupplier allClosed) {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool == null) {
            return false;
        }
        boolean suspended = false;
        if (dataSource.isAllowPoolSuspension()) {
            pool.suspendPool();
            suspended = true;
        }
        try {
            pool.softEvictConnections();
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (System.nanoTime() < deadline) {
                if (pool.getActiveConnections() > 0) {
                    pool.softEvictConnections(); // those that came back since
                } else if (pool.getTotalConnections() == 0 && allClosed.getAsBoolean()) {
                    return true;
                }
                sleep(20);
            }
            log.warn("pool recycle: old connections still open after {} (active={}, total={})",
                    maxWait, pool.getActiveConnections(), pool.getTotalConnections());
            return false;
        } finally {
            if (suspended) {
                pool.resumePool();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
