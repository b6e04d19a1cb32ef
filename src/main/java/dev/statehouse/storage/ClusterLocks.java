package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * Locks that hold across replicas, for work that is not one database transaction (a file copied,
 * then its metadata written). PostgreSQL: a session advisory lock on a connection held for the
 * work, keyed by a hash of the name; released at the end, or by the server when the pod dies.
 * SQLite: one process, so the caller's own in-process lock is the whole story; the work just runs.
 * The caller's duty: keep the work short (it holds a pooled connection on PostgreSQL).
 */
@Component
public class ClusterLocks {

    private final DataSource dataSource;
    private final Engine engine;

    public ClusterLocks(DataSource dataSource, Engine engine) {
        this.dataSource = dataSource;
        this.engine = engine;
    }

    /** True when the locks reach other processes (PostgreSQL replicas). */
    public boolean shared() {
        return engine == Engine.POSTGRESQL;
    }

    /**
     * Runs {@code work} holding the lock {@code name}, waiting up to {@code wait} for it; empty when
     * another replica held it all that time (the work did not run).
     */
    public <T> Optional<T> withLock(String name, Duration wait, Supplier<T> work) {
        if (engine != Engine.POSTGRESQL) {
            return Optional.ofNullable(work.get());
        }
        try (Connection c = dataSource.getConnection()) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!call(c, "SELECT pg_try_advisory_lock(hashtextextended(?, 16))", name)) {
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                Thread.sleep(50);
            }
            try {
                return Optional.ofNullable(work.get());
            } finally {
                call(c, "SELECT pg_advisory_unlock(hashtextextended(?, 16))", name);
            }
        } catch (SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("cluster lock " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean call(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
