package dev.statehouse.sessions;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One agent session as stored. */
public record Session(
        String id,
        String source,
        @Schema(nullable = true) String userId,
        @Schema(nullable = true) String model,
        @Schema(nullable = true) String title,
        @Schema(nullable = true) String projectId,
        @Schema(nullable = true) String parentSessionId,
        Instant startedAt,
        @Schema(nullable = true) Instant endedAt,
        @Schema(nullable = true) String endReason,
        long messageCount,
        long toolCallCount,
        long inputTokens,
        long outputTokens,
        boolean pinned,
        boolean archived,
        Instant lastActivity) {
}
