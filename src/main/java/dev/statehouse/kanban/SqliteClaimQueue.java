package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.List;

import dev.statehouse.domain.Ids;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.Timestamps;
import org.springframework.stereotype.Component;

/** Claims on SQLite: one writer at a time, so the next ready task is simply the first in claim order. */
@Component
@ConditionalOnEngine(Engine.SQLITE)
class SqliteClaimQueue implements ClaimQueue {

    private final WorkerRepository workers;
    private final TaskJournal journal;

    SqliteClaimQueue(WorkerRepository workers, TaskJournal journal) {
        this.workers = workers;
        this.journal = journal;
    }

    @Override
    public List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max) {
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
