package dev.statehouse.storage;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write turn, the commit that leaves no lock behind, and the metrics, on a pool of its own. */
class WriteQueueTransactionManagerTest {

    @TempDir
    Path dir;

    private WritePool pool;
    private SimpleMeterRegistry registry;
    private WriteQueueTransactionManager manager;
    private TransactionTemplate tx;
    private JdbcTemplate jdbc;

    @BeforeEach
    void pool() {
        pool = new WritePool(dir, 2000);
        registry = pool.registry;
        manager = pool.manager;
        tx = new TransactionTemplate(manager);
        jdbc = pool.jdbc;
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private long count(String table) {
        return pool.count(table);
    }

    @Test
    void theWriteTurnPassesOnAtCommitBeforeAfterCommitWorkEnds() throws Exception {
        AtomicReference<Boolean> otherWroteDuringAfterCommit = new AtomicReference<>();
        tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO p(id) VALUES (1)");
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    // another writer gets its turn, and SQLite's write lock, while this one is still finishing
                    CompletableFuture<Void> other = CompletableFuture.runAsync(() ->
                            tx.executeWithoutResult(s -> jdbc.update("INSERT INTO p(id) VALUES (2)")));
                    try {
                        other.get(2, TimeUnit.SECONDS);
                        otherWroteDuringAfterCommit.set(true);
                    } catch (Exception e) {
                        otherWroteDuringAfterCommit.set(false);
                    }
                }
            });
        });
        assertThat(otherWroteDuringAfterCommit.get()).isTrue();
        assertThat(count("p")).isEqualTo(2);
        assertThat(manager.queued()).isZero();
        assertThat(registry.get("statehouse.write.hold").timer().count()).isEqualTo(2);
        assertThat(registry.get("statehouse.write.wait").timer().count()).isEqualTo(2);
    }

    @Test
    void aFailedCommitIsRolledBackAndLeavesTheConnectionAndTheTurnFree() {
        // the deferred foreign key is checked by COMMIT itself
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO p(id) VALUES (10)");
            jdbc.update("INSERT INTO c(id, pid) VALUES (1, 99)");
        })).rootCause().hasMessageContaining("FOREIGN KEY");
        assertThat(count("p")).isZero();
        assertThat(count("c")).isZero();
        // every pooled connection is usable, in auto-commit, with no transaction left open
        for (int i = 0; i < 5; i++) {
            int id = i;
            tx.executeWithoutResult(status -> jdbc.update("INSERT INTO p(id) VALUES (?)", id));
        }
        assertThat(count("p")).isEqualTo(5);
        jdbc.execute((java.sql.Connection con) -> {
            assertThat(con.getAutoCommit()).isTrue();
            return null;
        });
        assertThat(registry.get("statehouse.write.hold").timer().count()).isEqualTo(6);
    }

    @Test
    void aRolledBackTransactionWritesNothingAndFreesTheTurn() {
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO p(id) VALUES (1)");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(count("p")).isZero();
        tx.executeWithoutResult(status -> jdbc.update("INSERT INTO p(id) VALUES (1)"));
        assertThat(count("p")).isEqualTo(1);
        assertThat(manager.queued()).isZero();
    }

    @Test
    void aCommittedWriteIsVisibleToTheNextReaderAtOnce() {
        for (int i = 0; i < 50; i++) {
            int id = i;
            tx.executeWithoutResult(status -> jdbc.update("INSERT INTO p(id) VALUES (?)", id));
            assertThat(count("p")).isEqualTo(i + 1);
        }
    }
}
