package dev.statehouse.storage.sqlite;

import java.time.Clock;
import java.time.Duration;

import dev.statehouse.kanban.DispatchLocks;
import dev.statehouse.kanban.EventFeed;
import dev.statehouse.kanban.Retention;
import dev.statehouse.kanban.RetentionProperties;
import dev.statehouse.kanban.RetentionRepository;
import dev.statehouse.storage.FreeSpace;
import dev.statehouse.support.ServerTestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 28, SQLite: a database the service creates is in {@code auto_vacuum=INCREMENTAL} mode, and
 * after retention deleted rows the file gives their pages back (page count down, no free page left),
 * in steps that each take one short write turn.
 */
class IncrementalVacuumTest extends ServerTestSupport {

    @Autowired
    RetentionRepository repo;
    @Autowired
    EventFeed feed;
    @Autowired
    DispatchLocks locks;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    FreeSpace space;

    @Test
    void aNewDatabaseIsIncrementalAndGivesPrunedSpaceBack() {
        assertThat(jdbc.queryForObject("PRAGMA auto_vacuum", Integer.class)).as("2 = INCREMENTAL").isEqualTo(2);
        assertThat(space.mode()).isEqualTo("incremental");
        String board = unique("vac").toLowerCase().replace('_', '-');
        jdbc.update("INSERT INTO boards (slug, name, created_at) VALUES (?, ?, 0)", board, board);
        // 4,000 archived tasks of 2 KB each (8 MB), last touched 200 days ago
        jdbc.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
                + " INSERT INTO tasks (id, board, title, body, status, created_at, updated_at)"
                + " SELECT ? || i, ?, 'old', printf('%.2000c', 'x'), 'archived', 0, strftime('%s', 'now') - 200 * 86400 FROM n",
                board + "-", board);
        long pagesBefore = jdbc.queryForObject("PRAGMA page_count", Long.class);

        RetentionProperties props = new RetentionProperties(true, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(90), 100000, 500,
                Duration.ofSeconds(30), Duration.ofMinutes(1));
        Retention.Round round = new Retention(repo, feed, locks, tx, props, space, Clock.systemUTC(), new SimpleMeterRegistry()).round();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ?", Long.class, board)).isZero();
        assertThat(round.finished()).isTrue();
        long pagesAfter = jdbc.queryForObject("PRAGMA page_count", Long.class);
        long pageSize = jdbc.queryForObject("PRAGMA page_size", Long.class);
        assertThat(jdbc.queryForObject("PRAGMA freelist_count", Long.class)).as("no free page left in the file").isZero();
        assertThat((pagesBefore - pagesAfter) * pageSize).as("the 8 MB of deleted tasks went back to the file system")
                .isGreaterThan(7_000_000L);
        assertThat(round.reclaimedBytes()).isGreaterThan(7_000_000L);
    }

    @Test
    void stepsAreShortAndStopAtTheDeadline() {
        String board = unique("vac2").toLowerCase().replace('_', '-');
        jdbc.update("INSERT INTO boards (slug, name, created_at) VALUES (?, ?, 0)", board, board);
        jdbc.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                + " INSERT INTO tasks (id, board, title, body, status, created_at, updated_at)"
                + " SELECT ? || i, ?, 'old', printf('%.2000c', 'x'), 'archived', 0, 0 FROM n", board + "-", board);
        jdbc.update("DELETE FROM tasks WHERE board = ?", board);
        long free = jdbc.queryForObject("PRAGMA freelist_count", Long.class);
        assertThat(free).isGreaterThan(3 * IncrementalVacuum.STEP);
        long pageSize = jdbc.queryForObject("PRAGMA page_size", Long.class);
        long freed = space.reclaim(System.nanoTime()); // a deadline already passed: one step, then stop
        assertThat(freed).as("exactly one step").isEqualTo(IncrementalVacuum.STEP * pageSize);
        assertThat(space.reclaim(System.nanoTime() + 30_000_000_000L)).isEqualTo((free - IncrementalVacuum.STEP) * pageSize);
        assertThat(jdbc.queryForObject("PRAGMA freelist_count", Long.class)).isZero();
    }
}
