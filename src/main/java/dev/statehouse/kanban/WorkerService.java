package dev.statehouse.kanban;

import java.util.List;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.GroupCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The worker protocol: claim (one or a batch), heartbeat, complete, fail, block, unblock. Each
 * step is one transaction; a step with a lock changes nothing unless the lock still holds.
 */
@Service
public class WorkerService {

    private final TaskRepository tasks;
    private final WorkerRepository workers;
    private final BoardService boards;
    private final TaskJournal journal;
    private final KanbanProperties props;
    private final GroupCommit writes;
    private final ClaimQueue queue;
    private final Counter claimed;
    private final Counter completed;

    public WorkerService(TaskRepository tasks, WorkerRepository workers, BoardService boards, TaskJournal journal,
                         KanbanProperties props, GroupCommit writes, ClaimQueue queue, MeterRegistry registry) {
        this.queue = queue;
        this.claimed = Counter.builder("statehouse.kanban.claims").description("Tasks claimed (committed)").register(registry);
        this.completed = Counter.builder("statehouse.kanban.completions").description("Runs completed (committed)").register(registry);
        this.tasks = tasks;
        this.workers = workers;
        this.boards = boards;
        this.journal = journal;
        this.props = props;
        this.writes = writes;
    }

    private Task task(String id) {
        return tasks.findTask(id).orElseThrow(() -> DomainException.notFound("task", id));
    }

    /*
     * The worker protocol's single-task steps (claim, heartbeat, complete, fail) are the service's
     * hottest writes; each is one transaction, committed together with others queued meanwhile
     * (GroupCommit), with exactly the outcome it would have alone. A claim's transaction is the
     * ClaimQueue's own (on PostgreSQL one statement, without an explicit transaction).
     */

    /** The lease a worker asked for (null: the configured default); 400 past {@code max-lease-seconds}. */
    private int lease(Integer requested) {
        if (requested == null) {
            return props.defaultLeaseSeconds();
        }
        if (requested < 1 || requested > props.maxLeaseSeconds()) {
            throw new DomainException.InvalidInput("ttl_seconds", "must be between 1 and " + props.maxLeaseSeconds());
        }
        return requested;
    }

    /** Atomically claims the board's next ready task; null when none is ready. */
    public Claim claim(String board, String worker, Integer requestedLease, String assignee) {
        int leaseSeconds = lease(requestedLease);
        List<Claim> claims = claimUpTo(board, worker, leaseSeconds, assignee, 1);
        if (claims.isEmpty()) {
            return null;
        }
        claimed.increment(); // committed by now
        return claims.get(0);
    }

    /**
     * Claims up to {@code max} ready tasks in one transaction, in claim order (highest priority,
     * then oldest); each gets its own lock, run and lease, exactly as if claimed one by one. Empty
     * when none is ready.
     */
    public List<Claim> claimBatch(String board, String worker, Integer requestedLease, String assignee, int max) {
        int leaseSeconds = lease(requestedLease);
        if (max < 1 || max > props.maxClaimBatch()) {
            throw new DomainException.InvalidInput("max", "must be between 1 and " + props.maxClaimBatch());
        }
        List<Claim> claims = claimUpTo(board, worker, leaseSeconds, assignee, max);
        claimed.increment(claims.size());
        return claims;
    }

    private List<Claim> claimUpTo(String board, String worker, int leaseSeconds, String assignee, int max) {
        List<Claim> claims = queue.claim(board, assignee, worker, leaseSeconds, max);
        if (claims.isEmpty()) {
            boards.requireOpen(board); // a missing (404) or archived (409) board, else simply nothing ready
        }
        return claims;
    }

    private Task running(String id, String lock) {
        Task task = task(id);
        if (task.status() != TaskStatus.RUNNING) {
            throw DomainException.conflict(ErrorKind.NOT_RUNNING, "task " + id + " is " + task.status() + ", not running");
        }
        if (!lock.equals(tasks.claimLock(id).orElse(null))) {
            throw DomainException.conflict(ErrorKind.LEASE_LOST, "the claim lock does not match (the lease may have been reclaimed)");
        }
        return task;
    }

    public Task heartbeat(String id, String lock, Integer requestedLease) {
        int lease = lease(requestedLease);
        return writes.write(() -> heartbeatNow(id, lock, lease));
    }

    private Task heartbeatNow(String id, String lock, int lease) {
        Task task = running(id, lock);
        double now = journal.now();
        if (!workers.heartbeat(id, lock, now + lease, now)) {
            throw DomainException.conflict(ErrorKind.LEASE_LOST, "the claim lock does not match");
        }
        journal.record(task.board(), id, task.currentRunId(), "heartbeat", journal.payload("lease_seconds", lease), now);
        return task(id);
    }

    public Task complete(String id, String lock, String result, boolean review) {
        Task task = writes.write(() -> completeNow(id, lock, result, review));
        completed.increment();
        return task;
    }

    private Task completeNow(String id, String lock, String result, boolean review) {
        double now = journal.now();
        TaskStatus to = review ? TaskStatus.REVIEW : TaskStatus.DONE;
        var released = workers.complete(id, lock, to, result, now);
        if (released.isEmpty()) {
            running(id, lock); // says why: 404, not running, or the wrong lock
            throw DomainException.conflict(ErrorKind.LEASE_LOST, "the claim lock does not match");
        }
        Task task = released.get();
        String runId = workers.closeRunningRun(id, "completed", to.value(), result, null, now);
        journal.record(task.board(), id, runId, "completed", journal.payload("status", to), now);
        if (to == TaskStatus.DONE) {
            journal.promoteChildren(id, now);
        }
        return task;
    }

    public Task fail(String id, String lock, String error) {
        return writes.write(() -> failNow(id, lock, error));
    }

    private Task failNow(String id, String lock, String error) {
        Task task = running(id, lock);
        double now = journal.now();
        long failures = task.consecutiveFailures() + 1;
        boolean giveUp = failures >= props.maxConsecutiveFailures();
        String gaveUp = giveUp ? "gave up after " + failures + " consecutive failures: " + error : null;
        if (!workers.fail(id, lock, failures, error, gaveUp, now)) {
            throw DomainException.conflict(ErrorKind.LEASE_LOST, "the claim lock does not match");
        }
        workers.closeRun(task.currentRunId(), "failed", "failed", null, error, now);
        journal.record(task.board(), id, task.currentRunId(), "failed", journal.payload("error", error, "consecutive_failures", failures), now);
        if (giveUp) {
            journal.record(task.board(), id, task.currentRunId(), "gave_up",
                    journal.payload("consecutive_failures", failures, "limit", props.maxConsecutiveFailures()), now);
        }
        return task(id);
    }

    /** Blocks a task with a reason: a running one needs its lock, a waiting one (triage, todo, ready, review) none. */
    @Transactional
    public Task block(String id, String lock, String reason) {
        Task task = task(id);
        double now = journal.now();
        if (task.status() == TaskStatus.RUNNING) {
            if (lock == null) {
                throw DomainException.conflict(ErrorKind.LOCK_REQUIRED, "task " + id + " is running: blocking it needs the claim lock");
            }
            running(id, lock);
            if (!workers.block(id, lock, reason, now)) {
                throw DomainException.conflict(ErrorKind.LEASE_LOST, "the claim lock does not match");
            }
            workers.closeRun(task.currentRunId(), "blocked", "blocked", reason, null, now);
        } else if (TaskStatus.WAITING.contains(task.status())) {
            tasks.blockWaiting(id, reason, now);
        } else {
            throw DomainException.conflict(ErrorKind.INVALID_TRANSITION, "a task that is " + task.status() + " cannot be blocked");
        }
        journal.record(task.board(), id, task.currentRunId(), "blocked", journal.payload("reason", reason, "kind", "manual"), now);
        return task(id);
    }

    /** Unblocks to ready, or to todo while a parent is not done; resets the failure count. */
    @Transactional
    public Task unblock(String id) {
        Task task = task(id);
        if (task.status() != TaskStatus.BLOCKED) {
            throw DomainException.conflict(ErrorKind.INVALID_TRANSITION, "task " + id + " is " + task.status() + ", not blocked");
        }
        double now = journal.now();
        TaskStatus to = tasks.unfinishedParents(id) > 0 ? TaskStatus.TODO : TaskStatus.READY;
        if (!workers.unblock(id, to, now)) {
            throw DomainException.conflict(ErrorKind.CONCURRENT_CHANGE, "task " + id + " changed meanwhile; retry");
        }
        journal.record(task.board(), id, null, "unblocked", journal.payload("status", to, "was", task.blockKind()), now);
        return task(id);
    }
}
