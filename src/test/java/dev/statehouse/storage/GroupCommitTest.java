package dev.statehouse.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.statehouse.support.HeldWriteTurn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Group commit on a pool of its own: shared transactions that give every caller its own outcome. */
class GroupCommitTest {

    @TempDir
    Path dir;

    private WritePool pool;
    private SimpleMeterRegistry registry;
    private WriteQueueTransactionManager manager;
    private JdbcTemplate jdbc;
    private GroupCommit group;
    private final List<CompletableFuture<?>> callers = new ArrayList<>();

    @BeforeEach
    void pool() {
        pool = new WritePool(dir, 300);
        registry = pool.registry;
        manager = pool.manager;
        jdbc = pool.jdbc;
        PlatformTransactionManager refusing = new PlatformTransactionManager() {
            @Override
            public TransactionStatus getTransaction(TransactionDefinition definition) {
                if (refuseBegin.get()) {
                    try {
                        beginRefused.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new CannotAcquireLockException("SQLITE_BUSY: refused by the test");
                }
                return manager.getTransaction(definition);
            }

            @Override
            public void commit(TransactionStatus status) {
                manager.commit(status);
            }

            @Override
            public void rollback(TransactionStatus status) {
                manager.rollback(status);
            }
        };
        group = new GroupCommit(refusing, 8, 3000, registry);
    }

    private final AtomicBoolean refuseBegin = new AtomicBoolean();
    private final CountDownLatch beginRefused = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        if (held != null) {
            held.finish();
        }
        for (CompletableFuture<?> caller : callers) {
            caller.handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        }
        group.destroy();
        pool.close();
    }

    private long count(String table) {
        return pool.count(table);
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> caller = CompletableFuture.supplyAsync(() -> group.write(work));
        callers.add(caller);
        return caller;
    }

    private HeldWriteTurn held;

    /** The committer is busy with a write of row 1000 until the returned turn is released. */
    private HeldWriteTurn occupy() throws Exception {
        held = HeldWriteTurn.hold(group, () -> jdbc.update("INSERT INTO p(id) VALUES (1000)"));
        return held;
    }

    private void awaitQueued(int n) throws InterruptedException {
        HeldWriteTurn.awaitQueued(group, n);
    }

    private long groups() {
        return registry.get("statehouse.write.group.size").summary().count();
    }

    private double largestGroup() {
        return registry.get("statehouse.write.group.size").summary().max();
    }

    @Test
    void workQueuedMeanwhileCommitsInOneTransactionAndEachCallerGetsItsResult() throws Exception {
        HeldWriteTurn turn = occupy();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int id = i;
            results.add(submit(() -> {
                jdbc.update("INSERT INTO p(id) VALUES (?)", id);
                return id * 10;
            }));
        }
        awaitQueued(5);
        turn.release();
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
        }
        assertThat(count("p")).isEqualTo(6);
        assertThat(groups()).isEqualTo(2); // the holder's, then the five that queued meanwhile
        assertThat(largestGroup()).isEqualTo(5);
        assertThat(registry.get("statehouse.write.hold").timer().count()).isEqualTo(2); // two write transactions
    }

    @Test
    void laterWorkInAGroupSeesEarlierWorkOfTheSameGroup() throws Exception {
        HeldWriteTurn turn = occupy();
        CompletableFuture<Integer> first = submit(() -> jdbc.update("INSERT INTO p(id) VALUES (7)"));
        awaitQueued(1);
        CompletableFuture<Long> second = submit(() -> jdbc.queryForObject("SELECT COUNT(*) FROM p WHERE id = 7", Long.class));
        awaitQueued(2);
        turn.release();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(largestGroup()).isEqualTo(2);
    }

    @Test
    void workThatThrowsIsUndoneWithItsCallbacksAndTheRestOfItsGroupCommits() throws Exception {
        HeldWriteTurn turn = occupy();
        List<String> afterCommit = new ArrayList<>();
        CompletableFuture<Integer> before = submit(() -> {
            onCommit(afterCommit, "before");
            return jdbc.update("INSERT INTO p(id) VALUES (1)");
        });
        awaitQueued(1);
        CompletableFuture<Integer> failing = submit(() -> {
            jdbc.update("INSERT INTO p(id) VALUES (2)");
            onCommit(afterCommit, "failing");
            throw new IllegalStateException("refused after writing");
        });
        awaitQueued(2);
        CompletableFuture<Integer> after = submit(() -> {
            onCommit(afterCommit, "after");
            return jdbc.update("INSERT INTO p(id) VALUES (3)");
        });
        awaitQueued(3);
        turn.release();
        assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> failing.join()).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused after writing");
        assertThat(jdbc.queryForList("SELECT id FROM p ORDER BY id", Integer.class)).containsExactly(1, 3, 1000);
        synchronized (afterCommit) {
            assertThat(afterCommit).containsExactlyInAnyOrder("before", "after");
        }
        assertThat(largestGroup()).isEqualTo(3);
        assertThat(registry.get("statehouse.write.group.reruns").counter().count()).isZero();
    }

    private static void onCommit(List<String> log, String name) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                synchronized (log) {
                    log.add(name);
                }
            }
        });
    }

    @Test
    void whenTheSharedCommitFailsEachRunsAgainAloneAndOnlyTheCulpritFails() throws Exception {
        HeldWriteTurn turn = occupy();
        AtomicBoolean culpritRanOnItsCallersThread = new AtomicBoolean();
        Thread[] culpritCaller = new Thread[1];
        CompletableFuture<Integer> good = submit(() -> jdbc.update("INSERT INTO p(id) VALUES (1)"));
        awaitQueued(1);
        // a deferred foreign key: the statement succeeds, the COMMIT fails
        CompletableFuture<Integer> culprit = CompletableFuture.supplyAsync(() -> {
            culpritCaller[0] = Thread.currentThread();
            return group.write(() -> {
                if (Thread.currentThread() == culpritCaller[0]) {
                    culpritRanOnItsCallersThread.set(true);
                }
                return jdbc.update("INSERT INTO c(id, pid) VALUES (1, 99)");
            });
        });
        callers.add(culprit);
        awaitQueued(2);
        CompletableFuture<Integer> alsoGood = submit(() -> jdbc.update("INSERT INTO p(id) VALUES (2)"));
        awaitQueued(3);
        turn.release();
        assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(alsoGood.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        // what it gets alone: its own COMMIT fails
        assertThatThrownBy(() -> culprit.join()).hasCauseInstanceOf(TransactionSystemException.class)
                .hasRootCauseMessage("[SQLITE_CONSTRAINT_FOREIGNKEY] A foreign key constraint failed (FOREIGN KEY constraint failed)");
        assertThat(culpritRanOnItsCallersThread).isTrue();
        assertThat(count("c")).isZero();
        assertThat(jdbc.queryForList("SELECT id FROM p ORDER BY id", Integer.class)).containsExactly(1, 2, 1000);
        assertThat(registry.get("statehouse.write.group.reruns").counter().count()).isEqualTo(3);
        // the pool is clean afterwards: every connection is back in auto-commit with no transaction open
        for (int i = 0; i < 3; i++) {
            assertThat(group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (?)", 10))).isEqualTo(1);
            jdbc.update("DELETE FROM p WHERE id = 10");
        }
    }

    @Test
    void uncontendedWorkIsAGroupOfOneOnTheCommitterThread() {
        Thread caller = Thread.currentThread();
        assertThat(group.write(() -> {
            assertThat(Thread.currentThread()).isNotSameAs(caller);
            assertThat(Thread.currentThread().getName()).isEqualTo("statehouse-group-commit");
            return jdbc.update("INSERT INTO p(id) VALUES (5)");
        })).isEqualTo(1);
        assertThat(groups()).isEqualTo(1);
        assertThat(count("p")).isEqualTo(1);
    }

    @Test
    void workRunsWithItsCallersLoggingContextAndLeavesTheCommitterClean() throws Exception {
        org.slf4j.MDC.put("request_id", "req-1");
        try {
            assertThat(group.write(() -> org.slf4j.MDC.get("request_id"))).isEqualTo("req-1");
        } finally {
            org.slf4j.MDC.remove("request_id");
        }
        assertThat(group.write(() -> String.valueOf(org.slf4j.MDC.get("request_id")))).as("the next caller's work sees none").isEqualTo("null");
    }

    @Test
    void aGroupOfOneThatThrowsRollsBackEverythingItWrote() throws Exception {
        HeldWriteTurn turn = occupy();
        CompletableFuture<Integer> failing = submit(() -> {
            jdbc.update("INSERT INTO p(id) VALUES (5)");
            throw new IllegalArgumentException("no");
        });
        awaitQueued(1);
        turn.release();
        assertThatThrownBy(failing::join).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(groups()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT id FROM p", Integer.class)).containsExactly(1000);
        assertThat(group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (5)"))).isEqualTo(1);
    }

    @Test
    void whenAGroupCannotBeginEveryCallerThatWaitedWithItGetsTheLockExceptionAndNothingIsWritten() throws Exception {
        refuseBegin.set(true); // each BEGIN waits for beginRefused, then fails as if another process held the lock
        List<CompletableFuture<Integer>> writers = new ArrayList<>();
        writers.add(submit(() -> jdbc.update("INSERT INTO p(id) VALUES (1)"))); // the committer takes it and begins
        HeldWriteTurn.waitUntil(() -> group.committing() && group.queued() == 0);
        writers.add(submit(() -> jdbc.update("INSERT INTO p(id) VALUES (2)")));
        writers.add(submit(() -> jdbc.update("INSERT INTO p(id) VALUES (3)")));
        awaitQueued(2);
        beginRefused.countDown();
        for (CompletableFuture<Integer> writer : writers) {
            assertThatThrownBy(writer::join).hasCauseInstanceOf(CannotAcquireLockException.class);
        }
        assertThat(count("p")).isZero();
        assertThat(groups()).isZero();
        refuseBegin.set(false);
        assertThat(group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (5)"))).isEqualTo(1);
    }

    @Test
    void whenAnotherProcessHoldsTheWriteLockTheWriteGetsTheLockExceptionAndWritesNothing() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            Throwable busy = catchThrowable(() -> group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (1)")));
            assertThat(StorageErrors.isBusy(busy)).as("%s", busy).isTrue(); // 503 with Retry-After
            statement.execute("ROLLBACK");
        }
        assertThat(count("p")).isZero();
        assertThat(group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (1)"))).isEqualTo(1);
    }

    @Test
    void workThatCannotStartWithinTwiceTheBusyTimeoutIsWithdrawnAndNeverRuns() throws Exception {
        group.destroy();
        group = new GroupCommit(manager, 8, 150, new SimpleMeterRegistry());
        HeldWriteTurn turn = occupy();
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> group.write(() -> {
                ran.set(true);
                return jdbc.update("INSERT INTO p(id) VALUES (1)");
            })).isInstanceOf(CannotAcquireLockException.class).hasMessageContaining("no write turn within 300 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(280L, 3000L);
        } finally {
            turn.release();
        }
        // the committer moves on: later work runs, the withdrawn work does not
        assertThat(group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (2)"))).isEqualTo(1);
        assertThat(ran).isFalse();
        assertThat(jdbc.queryForList("SELECT id FROM p ORDER BY id", Integer.class)).containsExactly(2, 1000);
    }

    @Test
    void workSubmittedInsideATransactionJoinsIt() {
        TransactionTemplate tx = new TransactionTemplate(manager);
        tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO p(id) VALUES (1)");
            assertThat(group.write(() -> jdbc.queryForObject("SELECT COUNT(*) FROM p", Long.class))).isEqualTo(1L);
            group.write(() -> jdbc.update("INSERT INTO p(id) VALUES (2)"));
            status.setRollbackOnly();
        });
        assertThat(count("p")).isZero();
        assertThat(groups()).isZero();
    }

    @Test
    void withoutGroupsEveryPieceOfWorkRunsAloneOnItsCallersThread() throws Exception {
        group.destroy();
        group = new GroupCommit(manager, 0, 300, new SimpleMeterRegistry());
        Thread caller = Thread.currentThread();
        assertThat(group.write(() -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            return jdbc.update("INSERT INTO p(id) VALUES (1)");
        })).isEqualTo(1);
        assertThat(count("p")).isEqualTo(1);
    }
}
