package dev.statehouse.kanban;

import dev.statehouse.storage.Timestamps;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dispatcher's steps, each a transaction of its own ({@link Dispatcher} runs them on its timer).
 * With N replicas on PostgreSQL, one replica at a time runs each step ({@link WorkerRepository#leadsDispatcherStep}).
 */
@Service
class DispatcherSteps {

    private final TaskRepository tasks;
    private final WorkerRepository workers;
    private final TaskJournal journal;

    DispatcherSteps(TaskRepository tasks, WorkerRepository workers, TaskJournal journal) {
        this.tasks = tasks;
        this.workers = workers;
        this.journal = journal;
    }

    /** Releases expired leases back to ready; returns how many. */
    @Transactional
    public int reclaimStale(int limit) {
        if (!workers.leadsDispatcherStep()) {
            return 0; // another replica runs this step now
        }
        double now = journal.now();
        int reclaimed = 0;
        for (WorkerRepository.StaleClaim s : workers.staleClaims(now, limit)) {
            if (workers.reclaim(s.id(), s.lock(), now)) { // a heartbeat since the read keeps its lease
                workers.closeRun(s.runId(), "reclaimed", "lease expired", null, "lease expired at "
                        + Timestamps.fromEpoch(s.expired()), now);
                journal.record(s.board(), s.id(), s.runId(), "reclaimed", journal.payload("stale_lock", s.lock(), "worker", s.worker(),
                        "expired_at", Timestamps.fromEpoch(s.expired()).toString()), now);
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** todo → ready for tasks whose parents are done; gave_up blocks whose parents finished since recover. */
    @Transactional
    public int[] promote(int limit) {
        if (!workers.leadsDispatcherStep()) {
            return new int[] {0, 0};
        }
        double now = journal.now();
        int promoted = 0;
        for (WorkerRepository.Promotable p : workers.promotable(limit)) {
            if (tasks.moveStatus(p.id(), TaskStatus.TODO, TaskStatus.READY, now)) {
                journal.record(p.board(), p.id(), null, "promoted", journal.payload("from", "todo", "to", "ready"), now);
                promoted++;
            }
        }
        int recovered = 0;
        for (WorkerRepository.Promotable p : workers.recoverable(limit)) {
            if (workers.unblock(p.id(), TaskStatus.READY, now)) {
                journal.record(p.board(), p.id(), null, "recovered", journal.payload("was", "gave_up", "to", "ready"), now);
                recovered++;
            }
        }
        return new int[] {promoted, recovered};
    }
}
