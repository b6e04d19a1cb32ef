package dev.statehouse.kanban;

import java.time.Instant;

/** A task as clients see it. The claim lock is never shown: only the claimer receives it. */
public record Task(
        String id,
        String board,
        String title,
        String body,
        String assignee,
        TaskStatus status,
        long priority,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt,
        String claimedBy,
        Instant claimExpires,
        Instant lastHeartbeatAt,
        String currentRunId,
        long consecutiveFailures,
        String lastFailureError,
        String result,
        String idempotencyKey,
        String blockKind,
        String blockReason,
        Instant blockedAt) {
}
