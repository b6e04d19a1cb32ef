package dev.statehouse.storage.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.statehouse.storage.ClusterLocks;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/** {@link ClusterLocks} on PostgreSQL: a session advisory lock on a pooled connection held for the work. */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
class PostgresClusterLocks implements ClusterLocks {

    private final DataSource dataSource;

    PostgresClusterLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public <T> Optional<T> withLock(String name, Duration wait, Supplier<T> work) {
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
            throw new DataAccessResourceFailureException("cluster lock " + name + ": " + e.getMessage(), e);
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
