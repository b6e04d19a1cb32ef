package dev.statehouse.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for small write transactions. SQLite commits one transaction at a time, and much of
 * a short write transaction's cost is fixed (BEGIN IMMEDIATE, COMMIT, the WAL frame, the
 * transaction manager's bookkeeping) and paid while every other writer waits. Work submitted to
 * {@link #write} queues for one committer thread, which takes the first queued piece, waits for
 * the write turn, then runs it and everything that queued meanwhile (at most
 * {@code maxBatch}) in submission order inside one transaction, each in a savepoint of its own,
 * and commits once. Uncontended work is a group of one: it costs a hand-off to the committer
 * thread and back (inside run-to-run noise for a lone client on the benchmark machine). Work runs
 * on the committer thread: it takes what it needs as arguments, not from its caller's thread-locals.
 * <p>
 * Each caller sees what it would have seen alone:
 * <ul>
 * <li>its result, or its exception, is handed back only after the shared COMMIT succeeded;</li>
 * <li>work that throws is rolled back to its savepoint (with the after-commit callbacks it
 * registered) and its exception handed back; the others are unaffected;</li>
 * <li>when the shared transaction cannot commit (or a savepoint cannot be rolled back), nothing
 * of the group is written and each piece of work runs again on its caller's thread, in a
 * transaction of its own, so that one piece's failure never becomes another's;</li>
 * <li>when the group cannot begin (another process holds SQLite's write lock past the busy
 * timeout), every caller in it gets that lock exception (503), as it would alone;</li>
 * <li>a caller that has waited twice the busy timeout while its work has not started withdraws it
 * and gets the lock exception; work that has started is always waited for.</li>
 * </ul>
 * Work submitted inside a transaction joins that transaction instead, and with
 * {@code maxBatch} 0 every piece of work runs alone on its caller's thread.
 * <p>
 * Metrics: {@code statehouse.write.group} (pieces of work per shared transaction) and
 * {@code statehouse.write.group.reruns} (pieces run again alone after a group could not commit).
 */
public class GroupCommit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final PlatformTransactionManager transactions;
    private final TransactionTemplate alone;
    private final int maxBatch;
    private final long waitMillis;
    private final BlockingQueue<GroupWork<?>> queue = new LinkedBlockingQueue<>();
    /** True while the committer runs a group (from BEGIN to the last caller settled). */
    private volatile boolean committing;
    private final DistributionSummary groupSize;
    private final Counter reruns;
    private final Thread committer;
    private volatile boolean running = true;

    public GroupCommit(PlatformTransactionManager transactions, int maxBatch, long waitMillis, MeterRegistry registry) {
        this.transactions = transactions;
        this.alone = new TransactionTemplate(transactions);
        this.alone.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.maxBatch = Math.max(0, maxBatch);
        this.waitMillis = waitMillis;
        this.groupSize = DistributionSummary.builder("statehouse.write.group.size").baseUnit("transactions")
                .description("Write transactions committed together in one SQLite transaction").register(registry);
        this.reruns = Counter.builder("statehouse.write.group.reruns")
                .description("Write transactions run again alone after their group could not commit").register(registry);
        if (this.maxBatch > 0) {
            committer = new Thread(this::commitLoop, "statehouse-group-commit");
            committer.setDaemon(true);
            committer.start();
        } else {
            committer = null;
        }
    }

    /** Runs {@code work} in a write transaction, possibly shared with other callers', and returns its result. */
    public <T> T write(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return work.get();
        }
        if (committer == null || !running) {
            return runAlone(work);
        }
        GroupWork<T> submitted = new GroupWork<>(work);
        queue.add(submitted);
        return submitted.await(2 * waitMillis).result(this::runAlone);
    }

    <T> T runAlone(Supplier<T> work) {
        return alone.execute(status -> work.get());
    }

    private void commitLoop() {
        List<GroupWork<?>> group = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                GroupWork<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                committing = true;
                try {
                    commit(group);
                } finally {
                    committing = false;
                }
            } catch (InterruptedException e) {
                running = false; // nothing interrupts it but a dying JVM: drain the queue and end
            } catch (RuntimeException | Error e) {
                log.error("group commit failed unexpectedly; its callers run their work alone", e);
                group.forEach(GroupWork::rerunAlone);
            } finally {
                group.clear();
            }
        }
    }

    /**
     * Begins a transaction for the first queued piece of work, then gathers what queued while it
     * waited for the write turn, runs them all and settles every one of them.
     */
    private void commit(List<GroupWork<?>> group) {
        TransactionStatus tx;
        try {
            tx = transactions.getTransaction(new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW));
        } catch (RuntimeException e) {
            // no turn (another process holds SQLite's write lock): those that waited with it fare no better
            queue.drainTo(group, maxBatch - 1);
            group.removeIf(w -> !w.start());
            group.forEach(w -> w.fail(e));
            return;
        }
        queue.drainTo(group, maxBatch - 1);
        group.removeIf(w -> !w.start());
        if (group.isEmpty()) {
            transactions.rollback(tx); // all withdrawn meanwhile
            return;
        }
        groupSize.record(group.size());
        if (group.size() == 1) {
            commitOne(group.get(0), tx);
            return;
        }
        try {
            for (GroupWork<?> work : group) {
                runInSavepoint(work, tx);
            }
            transactions.commit(tx);
        } catch (RuntimeException | Error e) {
            if (!tx.isCompleted()) {
                try {
                    transactions.rollback(tx);
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            log.debug("a group of {} could not commit; each runs again alone: {}", group.size(), e.toString());
            reruns.increment(group.size());
            group.forEach(GroupWork::rerunAlone);
            return;
        }
        group.forEach(GroupWork::publish);
    }

    /** A group of one is its own transaction: what it throws rolls everything back, as it would alone. */
    private void commitOne(GroupWork<?> work, TransactionStatus tx) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            work.failed = e;
        }
        try {
            if (work.failed != null) {
                transactions.rollback(tx);
            } else {
                transactions.commit(tx);
            }
        } catch (RuntimeException | Error e) {
            if (work.failed != null) {
                work.failed.addSuppressed(e);
            } else {
                work.failed = e;
            }
        }
        work.publish();
    }

    private void runInSavepoint(GroupWork<?> work, TransactionStatus tx) {
        List<TransactionSynchronization> before = TransactionSynchronizationManager.getSynchronizations();
        Object savepoint = tx.createSavepoint();
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            work.failed = e;
            tx.rollbackToSavepoint(savepoint); // a failure here fails the group: each runs again alone
            // forget the after-commit callbacks of what was just undone
            TransactionSynchronizationManager.clearSynchronization();
            TransactionSynchronizationManager.initSynchronization();
            before.forEach(TransactionSynchronizationManager::registerSynchronization);
        }
        tx.releaseSavepoint(savepoint);
    }

    /** Whether the committer is running a group now, for diagnostics and tests. */
    public boolean committing() {
        return committing;
    }

    /** Pieces of work waiting for the committer, for diagnostics and tests. */
    public int queued() {
        return queue.size();
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        if (committer != null) {
            committer.join(2 * waitMillis); // it drains what is queued, then its poll times out
        }
    }
}
