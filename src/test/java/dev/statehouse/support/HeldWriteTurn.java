package dev.statehouse.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.statehouse.storage.GroupCommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sets up a group commit deterministically: a write blocks inside the committer's transaction
 * until {@link #release}; whatever is submitted meanwhile queues and then commits as one group.
 */
public final class HeldWriteTurn {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Object> holder;

    private HeldWriteTurn(GroupCommit group, Supplier<?> holderWork) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        holder = CompletableFuture.supplyAsync(() -> group.write(() -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return holderWork.get();
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).as("the committer runs the holder").isTrue();
        assertThat(group.committing()).isTrue();
        assertThat(group.queued()).isZero();
    }

    /** The committer runs {@code holderWork} once released; until then it is busy. */
    public static HeldWriteTurn hold(GroupCommit group, Supplier<?> holderWork) throws InterruptedException {
        return new HeldWriteTurn(group, holderWork);
    }

    /** Waits until {@code n} writes queue at the committer. */
    public static void awaitQueued(GroupCommit group, int n) throws InterruptedException {
        waitUntil(() -> group.queued() >= n);
        assertThat(group.queued()).as("writes queued for the next group").isEqualTo(n);
    }

    /** Waits up to 5 s for {@code condition}, polling every 2 ms; the caller's assertion follows either way. */
    public static void waitUntil(BooleanSupplier condition) {
        try {
            await().atMost(java.time.Duration.ofSeconds(5)).pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(2))
                    .until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts what it waited for, with its own message
        }
    }

    /** Lets the holder finish; the queued group follows. */
    public void release() {
        release.countDown();
    }

    /** Releases and waits for the holder to settle, however it ends. */
    public void finish() throws Exception {
        release();
        holder.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }
}
