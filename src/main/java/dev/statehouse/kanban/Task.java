package dev.statehouse.kanban;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A task as clients see it. The claim lock is never shown: only the claimer receives it. */
public record Task(
        String id,
        String board,
        String title,
        @Schema(nullable = true) String body,
        @Schema(nullable = true) String assignee,
        TaskStatus status,
        long priority,
        @Schema(nullable = true) String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Schema(nullable = true) Instant startedAt,
        @Schema(nullable = true) Instant completedAt,
        @Schema(nullable = true) String claimedBy,
        @Schema(nullable = true) Instant claimExpires,
        @Schema(nullable = true) Instant lastHeartbeatAt,
        @Schema(nullable = true) String currentRunId,
        long consecutiveFailures,
        @Schema(nullable = true) String lastFailureError,
        @Schema(nullable = true) String result,
        @Schema(nullable = true) String idempotencyKey,
        @Schema(nullable = true) String blockKind,
        @Schema(nullable = true) String blockReason,
        @Schema(nullable = true) Instant blockedAt) {
}
