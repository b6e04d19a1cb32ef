package dev.statehouse.sessions;

import java.time.Instant;

/** One agent session as stored. */
public record Session(
        String id,
        String source,
        String userId,
        String model,
        String title,
        String projectId,
        String parentSessionId,
        Instant startedAt,
        Instant endedAt,
        String endReason,
        long messageCount,
        long toolCallCount,
        long inputTokens,
        long outputTokens,
        boolean pinned,
        boolean archived,
        Instant lastActivity) {
}
