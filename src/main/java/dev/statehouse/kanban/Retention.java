package dev.statehouse.kanban;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.statehouse.storage.FreeSpace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the board from growing forever: each round deletes, in batches of
 * {@code statehouse.retention.batch-size} rows per transaction and for at most
 * {@code budget}, board events older than {@code events} and the oldest events of a board beyond
 * {@code max-events-per-board} (never an event of a run still running), and finished runs that
 * ended longer ago than {@code runs} (never a running one), and done or archived tasks untouched for
 * {@code done-tasks} (90 days: a done card is history a kanban user expects to see for a while; its
 * event-level detail goes much sooner), with their comments, runs and events, never one that a task
 * not yet finished depends on. Then the space the deletes left is given back within what is left of
 * the budget ({@link FreeSpace}).
 *
 * <p>Before a batch of events is deleted, each board's horizon moves up to the newest position in
 * it ({@link RetentionRepository#advanceHorizon}, in the same transaction): a watcher resuming from
 * before the horizon is sent a {@code reload} event ({@link BoardEvents}), never a silent gap. On
 * PostgreSQL one replica at a time runs a batch ({@link DispatchLocks#leadsRetention}).
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What one round did. */
    public record Round(int events, int runs, int tasks, long reclaimedBytes, boolean finished) {
    }

    private final RetentionRepository repo;
    private final EventFeed feed;
    private final DispatchLocks locks;
    private final TransactionTemplate tx;
    private final RetentionProperties props;
    private final Clock clock;
    private final Counter prunedEvents;
    private final Counter prunedRuns;
    private final Counter prunedTasks;
    private final FreeSpace space;
    private final AtomicLong lastRoundMillis = new AtomicLong(-1);
    /** Milliseconds past its window of the oldest prunable board event when the last round ended; -1 before the first. */
    private final AtomicLong lagMillis = new AtomicLong(-1);

    public Retention(RetentionRepository repo, EventFeed feed, DispatchLocks locks, TransactionTemplate tx, RetentionProperties props,
                     FreeSpace space, Clock clock, MeterRegistry registry) {
        this.space = space;
        this.repo = repo;
        this.feed = feed;
        this.locks = locks;
        this.tx = tx;
        this.props = props;
        this.clock = clock;
        this.prunedEvents = Counter.builder("statehouse.retention.pruned").tag("table", "task_events")
                .description("Rows retention deleted, by table").register(registry);
        this.prunedRuns = Counter.builder("statehouse.retention.pruned").tag("table", "task_runs")
                .description("Rows retention deleted, by table").register(registry);
        this.prunedTasks = Counter.builder("statehouse.retention.pruned").tag("table", "tasks")
                .description("Rows retention deleted, by table").register(registry);
        Gauge.builder("statehouse.retention.last.round.age", lastRoundMillis,
                        t -> t.get() < 0 ? Double.NaN : Math.max(0, clock.millis() - t.get()) / 1000.0)
                .baseUnit("seconds").description("Seconds since the last round of retention that finished its work (NaN before the first)")
                .register(registry);
        Gauge.builder("statehouse.retention.lag", lagMillis, t -> t.get() < 0 ? Double.NaN : t.get() / 1000.0)
                .baseUnit("seconds").description("How far past its window the oldest board event retention may prune was when the last round"
                        + " ended: 0 while retention keeps up (NaN before the first round)")
                .register(registry);
    }

    @Scheduled(fixedDelayString = "${statehouse.retention.interval:1m}", initialDelayString = "${statehouse.retention.interval:1m}")
    public void scheduledRound() {
        if (!props.enabled()) {
            return;
        }
        try {
            round();
        } catch (RuntimeException e) { // the next round tries again; the database's own faults are reported by storage
            log.warn("retention round failed: {}", e.toString());
        }
    }

    /** One round: prunes until nothing is left or the budget is spent. */
    public Round round() {
        Budget budget = new Budget(System.nanoTime() + props.budget().toNanos(), props.batchSize());
        double now = clock.millis() / 1000.0;
        double eventCutoff = now - props.events().toMillis() / 1000.0;
        double runCutoff = now - props.runs().toMillis() / 1000.0;
        int events = budget.drain(() -> batch(() -> repo.oldEvents(eventCutoff, props.batchSize())));
        for (String board : budget.spent ? List.<String>of() : repo.crowdedBoards(props.maxEventsPerBoard())) {
            events += budget.drain(() -> batch(() -> repo.eventsBeyond(board, props.maxEventsPerBoard(), props.batchSize())));
        }
        int runs = budget.spent ? 0 : budget.drain(() -> runBatch(runCutoff));
        double taskCutoff = now - props.doneTasks().toMillis() / 1000.0;
        AtomicLong tasks = new AtomicLong();
        if (!budget.spent && props.prunesTasks()) {
            budget.drain(() -> taskBatch(taskCutoff, tasks));
        }
        long reclaimed = budget.spent ? 0 : space.reclaim(budget.deadline);
        boolean finished = !budget.spent;
        if (finished) {
            lastRoundMillis.set(clock.millis());
        }
        Double oldest = repo.oldestPrunableEvent();
        lagMillis.set(oldest == null ? 0 : Math.max(0, Math.round((eventCutoff - oldest) * 1000)));
        if (events + runs + tasks.get() > 0) {
            log.info("retention pruned {} board event(s), {} finished run(s) and {} finished task(s), gave back {} bytes{}", events, runs,
                    tasks.get(), reclaimed, finished ? "" : " (budget spent; more next round)");
        }
        return new Round(events, runs, (int) tasks.get(), reclaimed, finished);
    }

    /** A round's time: batches run until one comes back short (nothing left) or the deadline passes ({@code spent}). */
    private static final class Budget {
        private final long deadline;
        private final int batchSize;
        private boolean spent;

        Budget(long deadline, int batchSize) {
            this.deadline = deadline;
            this.batchSize = batchSize;
        }

        /** Runs {@code batch} (which returns the rows it deleted) until nothing is left or time is up; the rows deleted. */
        int drain(java.util.function.IntSupplier batch) {
            int total = 0;
            while (!spent) {
                if (System.nanoTime() > deadline) {
                    spent = true;
                    break;
                }
                int n = batch.getAsInt();
                total += n;
                if (n < batchSize) {
                    break;
                }
            }
            return total;
        }
    }

    /** Deletes one batch of finished runs that ended before {@code cutoff}; the rows deleted. */
    private int runBatch(double cutoff) {
        Integer n = tx.execute(s -> locks.leadsRetention() ? repo.deleteRuns(repo.oldRuns(cutoff, props.batchSize())) : 0);
        int deleted = n == null ? 0 : n;
        prunedRuns.increment(deleted);
        return deleted;
    }

    /**
     * Deletes one batch of finished tasks last changed before {@code cutoff}, their events first through
     * the horizon: at most a batch of events per transaction, so a task with many events takes several
     * turns before it goes. Adds the tasks deleted to {@code deleted}; returns the batch size while there
     * may be more to do, less when this was the last.
     */
    private int taskBatch(double cutoff, AtomicLong deleted) {
        TaskBatch done = tx.execute(s -> { // counted once committed, as batch() does
            if (!locks.leadsRetention()) {
                return new TaskBatch(0, 0, 0);
            }
            List<String> ids = repo.oldFinishedTasks(cutoff, props.batchSize());
            List<Long> events = repo.eventsOf(ids, props.batchSize());
            feed.newestPositions(events).forEach(repo::advanceHorizon);
            int eventsDeleted = repo.deleteEvents(events);
            if (events.size() == props.batchSize()) {
                return new TaskBatch(eventsDeleted, 0, props.batchSize()); // their tasks go once their events are gone
            }
            int n = repo.deleteTasks(ids);
            return new TaskBatch(eventsDeleted, n, n);
        });
        if (done == null) {
            return 0;
        }
        prunedEvents.increment(done.events());
        prunedTasks.increment(done.tasks());
        deleted.addAndGet(done.tasks());
        return done.more();
    }

    /** What one task batch deleted, and the batch size while there may be more. */
    private record TaskBatch(int events, int tasks, int more) {
    }

    /** Deletes one batch of the events {@code select} finds, moving each board's horizon past them first; the rows deleted. */
    private int batch(Supplier<List<Long>> select) {
        Integer n = tx.execute(s -> {
            if (!locks.leadsRetention()) {
                return 0;
            }
            List<Long> ids = select.get();
            Map<String, EventPosition> newest = feed.newestPositions(ids);
            newest.forEach(repo::advanceHorizon);
            return repo.deleteEvents(ids);
        });
        int deleted = n == null ? 0 : n;
        prunedEvents.increment(deleted);
        return deleted;
    }
}
