package dev.statehouse.storage;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One caller's work in the group-commit queue and, once settled, its outcome. Knows nothing of the
 * queue that runs it: a work sent back to be run alone is handed to the caller's {@code runAlone}.
 */
final class GroupWork<T> {

    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int WITHDRAWN = 2;
    static final Object DONE = new Object();
    static final Object RERUN = new Object();

    private final Supplier<T> work;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CountDownLatch settled = new CountDownLatch(1);
    T value;
    Throwable failed;
    /** DONE (value or failed holds the outcome) or RERUN (the caller runs the work alone). */
    volatile Object outcome;

    /** The submitting thread's logging context (its request id), restored around the work on the committer thread. */
    private final java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();

    GroupWork(Supplier<T> work) {
        this.work = work;
    }

    boolean start() {
        return state.compareAndSet(QUEUED, STARTED);
    }

    void run() {
        java.util.Map<String, String> committer = org.slf4j.MDC.getCopyOfContextMap();
        if (mdc != null) {
            org.slf4j.MDC.setContextMap(mdc);
        }
        try {
            value = work.get();
        } finally {
            if (committer == null) {
                org.slf4j.MDC.clear();
            } else {
                org.slf4j.MDC.setContextMap(committer);
            }
        }
    }

    void fail(Throwable failure) {
        failed = failure;
        publish();
    }

    void publish() {
        if (settled.getCount() == 0) {
            return; // settled once, for good
        }
        outcome = DONE;
        settled.countDown();
    }

    void rerunAlone() {
        if (settled.getCount() == 0) {
            return;
        }
        value = null;
        failed = null;
        outcome = RERUN;
        settled.countDown();
    }

    /** Waits up to {@code millis} for the work to start, then for as long as it runs. */
    GroupWork<T> await(long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                try {
                    long left = deadline - System.nanoTime();
                    if (settled.await(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                        return this;
                    }
                    if (state.compareAndSet(QUEUED, WITHDRAWN)) {
                        failed = WriteQueueTransactionManager.noWriteTurn(millis);
                        outcome = DONE;
                        return this;
                    }
                    settled.await();
                    return this;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The outcome: the value, the failure thrown, or, when the group sent it back, {@code runAlone} of the work. */
    T result(java.util.function.Function<Supplier<T>, T> runAlone) {
        if (outcome == RERUN) {
            return runAlone.apply(work);
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        return value;
    }
}
