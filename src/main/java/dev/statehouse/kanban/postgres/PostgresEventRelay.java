package dev.statehouse.kanban.postgres;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.statehouse.kanban.EventFeed;
import dev.statehouse.kanban.EventPosition;
import dev.statehouse.kanban.KanbanProperties;
import dev.statehouse.kanban.TaskEvent;
import dev.statehouse.kanban.TaskEventRepository;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Board events across replicas (PostgreSQL): each replica reads {@code task_events} in commit-safe
 * order and hands every event to its own watchers, so a watcher on replica B sees the events
 * committed through replica A.
 * <p>
 * Event ids are handed out at insert, not at commit, so "id &gt; last" would skip an event whose
 * transaction commits after a later id's. Each event row carries its transaction id ({@code tx},
 * migration V9). A poll takes {@code X = pg_snapshot_xmin(pg_current_snapshot())} — every
 * transaction below X has ended — and reads {@code horizon <= tx < X} in {@code (tx, id)} order, then
 * moves the horizon to X: each event is read exactly once, in one order that never goes backwards.
 * SSE ids are {@code "tx.id"}; a reconnecting client's {@code Last-Event-ID} resumes after that
 * position on any replica. A subscriber's backlog is read up to the current horizon under the same
 * lock that delivers a poll, so backlog and live events meet with no gap; a watcher is sent only
 * events after the last position it has, so a replica whose horizon is behind the watcher's
 * Last-Event-ID sends it nothing twice and never goes backwards.
 * <p>
 * A poll runs every {@code statehouse.kanban.relay-interval} and at once after this replica commits
 * an event; while this replica has no watcher it reads nothing (a backlog comes from the
 * subscriber's Last-Event-ID, not from the relay). A long transaction anywhere on the server holds
 * X back (the lag is the gauge {@code statehouse.kanban.relay.lag});
 * {@code idle_in_transaction_session_timeout} and {@code statement_timeout} bound it.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class PostgresEventRelay implements EventFeed, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresEventRelay.class);
    /**
     * The event and its transaction as text (xid8 has no JDBC type). Aliased {@code tx_text}, not
     * {@code tx}: an {@code ORDER BY tx} would sort by the output column, as text ("10" before "9").
     */
    private static final String COLUMNS = TaskEventRepository.EVENT_COLUMNS + ", tx::text AS tx_text";

    private final JdbcTemplate jdbc;
    private final long intervalMillis;
    /** Held by a poll and a subscription (each runs a query): never taken by {@link #wake}. */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Wake-ups from committing threads. Those threads still hold their pooled connection (after
     * commit, before clean-up): were they to wait for {@link #lock} while a poll waits for a
     * connection, the pool would deadlock until its timeout. So a wake-up is a permit, nothing more.
     */
    private final Semaphore wakeups = new Semaphore(0);
    private volatile BiConsumer<TaskEvent, EventPosition> sink = (e, position) -> { };
    private volatile BooleanSupplier watched = () -> false;
    private volatile long lastPollNanos = System.nanoTime();
    private final Counter polls;
    private long horizon = -1;
    private volatile Thread thread;
    /** Polls failed in a row, on the relay's thread (only the first is logged). */
    private int failingInARow;

    @org.springframework.beans.factory.annotation.Autowired
    public PostgresEventRelay(JdbcTemplate jdbc, KanbanProperties props, MeterRegistry registry) {
        this(jdbc, props.relayInterval(), registry);
    }

    PostgresEventRelay(JdbcTemplate jdbc, java.time.Duration interval, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.intervalMillis = Math.max(10, interval.toMillis());
        Gauge.builder("statehouse.kanban.relay.lag", this, r -> (System.nanoTime() - r.lastPollNanos) / 1e9)
                .baseUnit("seconds").description("Seconds since board events were last read in commit order").register(registry);
        this.polls = Counter.builder("statehouse.kanban.relay.polls")
                .description("Reads of new board events in commit order (none while this replica has no watcher)").register(registry);
    }

    /**
     * Where delivered events go (the replica's watchers), and whether any watcher is open: with
     * none, a poll reads nothing and forgets the horizon, and the next subscription starts from the
     * server's current one, as on a fresh start.
     */
    @Override
    public void attach(BiConsumer<TaskEvent, EventPosition> sink, BooleanSupplier watched) {
        this.sink = sink;
        this.watched = watched;
    }

    /** This replica committed an event: the relay polls now rather than at the next interval, and delivers it in order. */
    @Override
    public void committed(TaskEvent event) {
        wake();
    }

    /** Polls now rather than at the next interval. */
    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /**
     * Opens a watcher with its backlog (events after {@code lastEventId}, up to the horizon) under the
     * lock that deliveries take, so nothing is delivered between the read and the registration. This
     * replica's horizon may be behind the watcher's position (another replica's relay read further
     * before the watcher moved here): the backlog is then empty, and the live events this relay reads
     * next that the watcher already has are not sent to it again (a watcher is sent only events after
     * its position, {@link dev.statehouse.kanban.BoardEvents}). More than {@code maxReplay} missed: no
     * backlog, and the watcher goes on from the horizon ({@code "H.0"}: everything below it is read).
     */
    @Override
    public <T> T subscribe(String board, String lastEventId, int maxReplay, Function<Supplier<Backlog>, T> open) {
        lock.lock();
        try {
            if (horizon < 0) {
                horizon = xmin();
            }
            if (lastEventId == null) {
                return open.apply(Backlog::none);
            }
            EventPosition from = position(lastEventId);
            List<Positioned> missed = jdbc.query("SELECT " + COLUMNS + " FROM task_events WHERE board = ?"
                    + " AND (tx, id) > (CAST(CAST(? AS TEXT) AS xid8), ?) AND tx < CAST(CAST(? AS TEXT) AS xid8)"
                    + " ORDER BY tx, id LIMIT ?", PostgresEventRelay::map, board, Long.toString(from.tx()), from.id(),
                    Long.toString(horizon), maxReplay + 1);
            // every event below the horizon is read: a watcher further behind than maxReplay goes on from there
            Backlog backlog = missed.size() > maxReplay ? new Backlog(List.of(), new EventPosition(horizon, 0), lastEventId)
                    : new Backlog(missed, from, null);
            return open.apply(() -> backlog);
        } finally {
            lock.unlock();
        }
    }

    /** {@code "tx.id"}, or a bare event id (from {@code ?after=} or a SQLite-era client): its own position. */
    private EventPosition position(String lastEventId) {
        if (lastEventId.indexOf('.') > 0) {
            return EventPosition.parse(lastEventId);
        }
        long id = Long.parseLong(lastEventId);
        List<Long> tx = jdbc.queryForList("SELECT tx::text::bigint FROM task_events WHERE id = ?", Long.class, id);
        return new EventPosition(tx.isEmpty() ? 0 : tx.get(0), id);
    }

    /**
     * One poll: everything committed below the oldest running transaction, in (tx, id) order. The
     * horizon and the rows come from one statement, so from one snapshot: every transaction below X
     * has ended in that snapshot, and its events are visible in it.
     */
    void poll() {
        lock.lock();
        try {
            if (!watched.getAsBoolean()) { // nobody to deliver to; a subscription takes the lock, so none is half open
                horizon = -1;
                lastPollNanos = System.nanoTime();
                return;
            }
            if (horizon < 0) {
                horizon = xmin();
            }
            polls.increment();
            long[] next = {horizon};
            List<Positioned> events = new java.util.ArrayList<>();
            jdbc.query("WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)"
                    + " SELECT h.x::text AS x, e.id, e.board, e.task_id, e.run_id, e.kind, e.payload, e.created_at, e.tx::text AS tx_text"
                    + " FROM h LEFT JOIN task_events e ON e.tx >= CAST(CAST(? AS TEXT) AS xid8) AND e.tx < h.x"
                    + " ORDER BY e.tx, e.id", rs -> {
                        next[0] = Long.parseLong(rs.getString("x"));
                        if (rs.getString("tx_text") != null) {
                            events.add(map(rs, 0));
                        }
                    }, Long.toString(horizon));
            for (Positioned p : events) {
                sink.accept(p.event(), p.position());
            }
            horizon = Math.max(horizon, next[0]);
            lastPollNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    private long xmin() {
        Long x = jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", Long.class);
        return x == null ? 0 : x;
    }

    private static Positioned map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        TaskEvent event = TaskEventRepository.mapEvent(rs, row);
        return new Positioned(new EventPosition(Long.parseLong(rs.getString("tx_text")), event.id()), event);
    }

    private void run() {
        while (thread != null) {
            try {
                wakeups.tryAcquire(intervalMillis, TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            try {
                poll();
                if (failingInARow > 0) {
                    log.info("board event relay: polls work again after {} failed poll(s)", failingInARow);
                    failingInARow = 0;
                }
            } catch (RuntimeException e) {
                if (failingInARow++ == 0) {
                    log.warn("board event relay: poll failed, retrying (nothing is skipped; further failures are counted"
                            + " until one works): {}", dev.statehouse.storage.StorageErrors.rootMessage(e));
                }
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            Thread t = new Thread(this::run, "board-event-relay");
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public java.util.Map<String, EventPosition> newestPositions(List<Long> eventIds) {
        java.util.Map<String, EventPosition> newest = new java.util.HashMap<>();
        if (!eventIds.isEmpty()) {
            jdbc.query("SELECT DISTINCT ON (board) board, tx::text AS tx_text, id FROM task_events WHERE id = ANY(?)"
                    + " ORDER BY board, tx DESC, id DESC", rs -> {
                        newest.put(rs.getString("board"), new EventPosition(Long.parseLong(rs.getString("tx_text")), rs.getLong("id")));
                    }, (Object) eventIds.toArray(Long[]::new));
        }
        return newest;
    }
}
