package dev.statehouse.kanban.sqlite;

import java.util.ArrayList;
import java.util.List;

import dev.statehouse.domain.Ids;
import dev.statehouse.kanban.Claim;
import dev.statehouse.kanban.ClaimQueue;
import dev.statehouse.kanban.Task;
import dev.statehouse.kanban.TaskJournal;
import dev.statehouse.kanban.WorkerRepository;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.GroupCommit;
import dev.statehouse.storage.Timestamps;
import org.springframework.stereotype.Component;

/**
 * Claims on SQLite: one writer at a time, so the next ready task is simply the first in claim order.
 * The claim takes its turn in the write queue ({@link GroupCommit}): one transaction, committed with
 * the writes queued beside it.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteClaimQueue implements ClaimQueue {

    private final WorkerRepository workers;
    private final TaskJournal journal;
    private final GroupCommit writes;

    public SqliteClaimQueue(WorkerRepository workers, TaskJournal journal, GroupCommit writes) {
        this.workers = workers;
        this.journal = journal;
        this.writes = writes;
    }

    @Override
    public List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max) {
        return writes.write(() -> claimInTurn(board, assignee, worker, leaseSeconds, max));
    }

    private List<Claim> claimInTurn(String board, String assignee, String worker, int leaseSeconds, int max) {
        double now = journal.now();
        double expires = now + leaseSeconds;
        String payload = journal.payload("worker", worker, "lease_seconds", leaseSeconds);
        List<Claim> claims = new ArrayList<>(Math.min(max, 16));
        while (claims.size() < max) {
            String lock = Ids.random("lk_", 16);
            String runId = Ids.random("r_", 8);
            var claimed = workers.claimNext(board, assignee, lock, worker, expires, runId, now);
            if (claimed.isEmpty()) {
                break;
            }
            Task task = claimed.get();
            workers.insertRun(runId, task.id(), worker, now);
            journal.record(board, task.id(), runId, "claimed", payload, now);
            claims.add(new Claim(task, lock, runId, Timestamps.fromEpoch(expires)));
        }
        return claims;
    }
}
