package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Transactions (every one of them writes) queue for one in-process write permit before they take
 * a pooled connection. SQLite has one writer at a time anyway; queueing here keeps the waiting
 * writers off the pool, so reads keep their connections while another process holds the write
 * lock, and a writer that cannot get its turn within the busy timeout fails fast with a
 * lock exception (503 with Retry-After) instead of tying up a connection and a thread.
 * <p>
 * Metrics: {@code statehouse.write.wait} (time queued for the permit), {@code statehouse.write.hold}
 * (permit held: from BEGIN to a successful COMMIT, or to the clean-up after a rollback, i.e. the
 * serial cost of one write transaction)
 * and the gauge {@code statehouse.write.queued}.
 */
public class WriteQueueTransactionManager extends JdbcTransactionManager implements FaultReporting.BeginFailures {

    private final Semaphore permit = new Semaphore(1, true);
    private final long waitMillis;
    private final Timer waitTimer;
    private final Timer holdTimer;
    /** The thread holding the permit and since when; only the holder writes them. */
    private volatile Thread holder;
    private long heldSince;

    private volatile Runnable onCommit = () -> { };

    private volatile java.util.function.Consumer<Throwable> beginFailed = e -> { };

    @Override
    public void onBeginFailure(java.util.function.Consumer<Throwable> listener) {
        this.beginFailed = listener;
    }

    /** Runs after every successful commit, on the committing thread (must be cheap). */
    public void onCommit(Runnable listener) {
        this.onCommit = listener;
    }

    public WriteQueueTransactionManager(DataSource dataSource, long waitMillis, MeterRegistry registry) {
        super(dataSource);
        this.waitMillis = waitMillis;
        this.waitTimer = Timer.builder("statehouse.write.wait").description("Time a write transaction queued for the write permit")
                .publishPercentileHistogram().register(registry);
        this.holdTimer = Timer.builder("statehouse.write.hold").description("Time a write transaction held the write permit")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("statehouse.write.queued", permit, Semaphore::getQueueLength)
                .description("Write transactions waiting for the write permit").register(registry);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        boolean acquired;
        long start = System.nanoTime();
        try {
            acquired = permit.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            waitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw noWriteTurn(waitMillis);
        }
        heldSince = System.nanoTime();
        holder = Thread.currentThread();
        waitTimer.record(heldSince - start, TimeUnit.NANOSECONDS);
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            release();
            beginFailed.accept(e); // BEGIN IMMEDIATE on a read-only or full database fails here, untranslated
            throw e;
        }
    }

    /**
     * Commits, then hands the write turn on at once when the connection is back in auto-commit
     * (the {@link StatehouseDataSource} commit leaves no transaction and so no SQLite lock behind):
     * after-commit callbacks and the connection's return to the pool run outside the turn.
     */
    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        super.doCommit(status);
        onCommit.run();
        try {
            Connection connection = ((JdbcTransactionObjectSupport) status.getTransaction()).getConnectionHolder().getConnection();
            if (connection.getAutoCommit()) {
                release();
            }
        } catch (SQLException | RuntimeException e) {
            // keep the turn until clean-up
        }
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            release();
        }
    }

    /** Gives the permit back, once per turn, from the thread that holds it. */
    private void release() {
        if (holder != Thread.currentThread()) {
            return;
        }
        holder = null;
        holdTimer.record(System.nanoTime() - heldSince, TimeUnit.NANOSECONDS);
        permit.release();
    }

    /** What a writer gets that found no write turn within {@code millis}: a lock exception, so 503 with Retry-After. */
    static CannotAcquireLockException noWriteTurn(long millis) {
        return new CannotAcquireLockException("SQLITE_BUSY: no write turn within " + millis + " ms (the database is busy)");
    }

    /** Writers waiting for their turn, for diagnostics. */
    public int queued() {
        return permit.getQueueLength();
    }
}
