package dev.statehouse.kanban;

import java.util.List;

/**
 * The claim: the one step of the worker protocol whose SQL differs by engine. Each call is atomic
 * and committed when it returns (the queue runs its own transaction: callers must not wrap it in
 * one); each claimed task gets its own lock, run and {@code claimed} event, and the list is in
 * claim order (highest priority, then oldest, then id). Empty when nothing is ready.
 * <ul>
 * <li>{@link dev.statehouse.kanban.sqlite.SqliteClaimQueue}: one guarded UPDATE … RETURNING per task, in one write-queue turn
 * (writers take turns).</li>
 * <li>{@link dev.statehouse.kanban.postgres.PostgresClaimQueue}: {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers on any
 * replica pass each other's locked rows instead of waiting and then finding nothing; single or
 * batch, one statement in one round trip.</li>
 * </ul>
 */
public interface ClaimQueue {

    List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max);
}
