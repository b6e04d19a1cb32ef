package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The JDBC transaction manager for PostgreSQL, but a rollback on a connection that is already gone
 * (the server ended the session, the socket timed out, the pool dropped it as broken) is not a
 * failure: the server discards an uncommitted transaction when its session ends, so there is nothing
 * left to roll back. Without this the rollback's "Connection is closed" replaced the failure that
 * mattered (57P01, a socket timeout), and the request answered 500 with two stack traces instead of
 * 503 {@code Database unavailable}.
 */
class PostgresTransactionManager extends JdbcTransactionManager implements FaultReporting.BeginFailures {

    private static final Logger log = LoggerFactory.getLogger(PostgresTransactionManager.class);
    private volatile java.util.function.Consumer<Throwable> beginFailed = e -> { };

    PostgresTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public void onBeginFailure(java.util.function.Consumer<Throwable> listener) {
        this.beginFailed = listener;
    }

    @Override
    protected void doBegin(Object transaction, org.springframework.transaction.TransactionDefinition definition) {
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            beginFailed.accept(e);
            throw e;
        }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (TransactionException e) {
            if (!connectionGone(status)) {
                throw e;
            }
            log.debug("rollback skipped: the connection is gone, and its transaction with it ({})", StorageErrors.rootMessage(e));
        }
    }

    private static boolean connectionGone(DefaultTransactionStatus status) {
        if (!(status.getTransaction() instanceof JdbcTransactionObjectSupport tx) || !tx.hasConnectionHolder()) {
            return false;
        }
        try {
            Connection connection = tx.getConnectionHolder().getConnection();
            return connection.isClosed();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }
}
