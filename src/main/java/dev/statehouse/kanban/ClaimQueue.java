package dev.statehouse.kanban;

import java.util.List;

/**
 * The claim: the one step of the worker protocol whose SQL differs by engine. Runs inside the
 * caller's transaction; each claimed task gets its own lock, run and {@code claimed} event, and the
 * list is in claim order (highest priority, then oldest, then id). Empty when nothing is ready.
 * <ul>
 * <li>{@link SqliteClaimQueue}: one guarded UPDATE … RETURNING per task (writers take turns).</li>
 * <li>{@link PostgresClaimQueue}: {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers on any
 * replica pass each other's locked rows instead of waiting and then finding nothing; a batch is
 * one statement.</li>
 * </ul>
 */
interface ClaimQueue {

    List<Claim> claim(String board, String assignee, String worker, int leaseSeconds, int max);
}
