package dev.statehouse.storage;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Transactions (every one of them writes) queue for one in-process write permit before they take
 * a pooled connection. SQLite has one writer at a time anyway; queueing here keeps the waiting
 * writers off the pool, so reads keep their connections while another process holds the write
 * lock, and a writer that cannot get its turn within the busy timeout fails fast with a
 * lock exception (503 with Retry-After) instead of tying up a connection and a thread.
 */
public class WriteQueueTransactionManager extends JdbcTransactionManager {

    private final Semaphore permit = new Semaphore(1, true);
    private final long waitMillis;

    public WriteQueueTransactionManager(DataSource dataSource, long waitMillis) {
        super(dataSource);
        this.waitMillis = waitMillis;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        boolean acquired;
        try {
            acquired = permit.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new CannotAcquireLockException("SQLITE_BUSY: no write turn within " + waitMillis + " ms (the database is busy)");
        }
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            permit.release();
            throw e;
        }
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            permit.release();
        }
    }

    /** Writers waiting for their turn, for diagnostics. */
    public int queued() {
        return permit.getQueueLength();
    }
}
