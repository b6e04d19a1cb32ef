package dev.statehouse.kanban;

import java.time.Instant;

/** What a worker gets for a successful claim: the task and the lease's lock. */
public record Claim(Task task, String lock, String runId, Instant expiresAt) {
}
