package dev.statehouse.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.sqlite.SQLiteConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HikariCP pool that checkpoints the write-ahead log before it closes, so that a graceful
 * shutdown folds the WAL into the main file and SQLite removes {@code -wal} and {@code -shm}
 * when the last pooled connection closes.
 */
public class StatehouseDataSource extends HikariDataSource {

    private static final Logger log = LoggerFactory.getLogger(StatehouseDataSource.class);

    private int statementCacheSize = 64;
    private volatile boolean statementCacheInstalled;

    /**
     * Hands out pooled connections behind a guard for two sqlite-jdbc quirks.
     * <ul>
     * <li>When {@code setAutoCommit(false)} fails (its {@code BEGIN IMMEDIATE} hit SQLITE_BUSY), the
     * driver has already switched its auto-commit flag off, so the connection would go back to the
     * pool claiming a transaction that does not exist and poison the next borrower ("cannot commit -
     * no transaction is active"). The guard switches the flag back.</li>
     * <li>The driver's {@code commit()} runs {@code COMMIT} and at once {@code BEGIN IMMEDIATE} again,
     * so the connection holds SQLite's write lock until the transaction manager switches auto-commit
     * back on. Transactions here always end in auto-commit, so the guard commits by switching
     * auto-commit on (a bare {@code COMMIT}): the write lock is free the moment the commit returns,
     * and {@link WriteQueueTransactionManager} hands the write turn on without waiting for the
     * connection's clean-up. A failed {@code COMMIT} is rolled back and rethrown; a {@code rollback()}
     * that follows it finds nothing to undo.</li>
     * </ul>
     */
    @Override
    public Connection getConnection() throws SQLException {
        installStatementCache();
        Connection pooled = super.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (args == null && name.equals("commit") && !pooled.getAutoCommit()) {
                        commitToAutoCommit(pooled);
                        return null;
                    }
                    if (args == null && name.equals("rollback") && pooled.getAutoCommit()) {
                        return null; // the failed commit above already rolled back
                    }
                    try {
                        return method.invoke(pooled, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (name.equals("setAutoCommit") && Boolean.FALSE.equals(args[0]) && cause instanceof SQLException) {
                            restoreAutoCommit(pooled);
                        }
                        throw cause;
                    }
                });
    }

    /** Idle prepared statements kept per physical connection; 0 turns the cache off. Set before the first connection. */
    public void setStatementCacheSize(int statementCacheSize) {
        this.statementCacheSize = statementCacheSize;
    }

    /**
     * Before the pool starts, puts the {@link StatementCache} between it and the driver: the pool
     * then opens physical connections the way it would have (same URL, driver and connection
     * properties, through Hikari's own {@link DriverDataSource}), each keeping its statements.
     */
    private void installStatementCache() {
        if (statementCacheInstalled) {
            return;
        }
        synchronized (this) {
            if (!statementCacheInstalled && getDataSource() == null && getJdbcUrl() != null && statementCacheSize > 0) {
                setDataSource(new StatementCache(new DriverDataSource(getJdbcUrl(), getDriverClassName(),
                        getDataSourceProperties(), getUsername(), getPassword()), statementCacheSize));
            }
            statementCacheInstalled = true;
        }
    }

    private static void commitToAutoCommit(Connection pooled) throws SQLException {
        try {
            pooled.setAutoCommit(true);
        } catch (SQLException e) {
            try (Statement statement = pooled.createStatement()) {
                statement.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // SQLite may have rolled the transaction back already
            }
            throw e;
        }
    }

    private static void restoreAutoCommit(Connection pooled) {
        try {
            if (pooled.isWrapperFor(SQLiteConnection.class)) {
                pooled.unwrap(SQLiteConnection.class).getConnectionConfig().setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.warn("could not reset auto-commit after a failed BEGIN: {}", e.toString());
        }
    }

    /** Closes the pool as it is, with no checkpoint (a database that failed its start-up checks). */
    void closeWithoutCheckpoint() {
        super.close();
    }

    private volatile boolean shutdownCheckpoint = true;

    /** False when Litestream replicates the WAL: its read transaction would make the shutdown TRUNCATE wait out the busy timeout. */
    public void setShutdownCheckpoint(boolean shutdownCheckpoint) {
        this.shutdownCheckpoint = shutdownCheckpoint;
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        if (!shutdownCheckpoint) {
            log.info("shutdown: no TRUNCATE checkpoint (statehouse.storage.external-replication owns the WAL)");
            super.close();
            return;
        }
        try (Connection connection = getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
                if (mode.next() && "wal".equalsIgnoreCase(mode.getString(1))) {
                    try (ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                        if (rs.next()) {
                            log.info("shutdown checkpoint: busy={} log={} checkpointed={}",
                                    rs.getInt(1), rs.getInt(2), rs.getInt(3));
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("shutdown checkpoint failed; the WAL will be recovered on next open: {}", e.toString());
        }
        super.close();
    }
}
