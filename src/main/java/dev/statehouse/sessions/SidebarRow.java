package dev.statehouse.sessions;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One row of the sidebar. A lineage chain (a head and its continuations) is one row: the head's
 * title and start, the tip's id, model and counts, the newest activity of any segment.
 * A child that is not a continuation is its own row with {@code relationship_type = child_session}.
 */
public record SidebarRow(
        String id,
        String title,
        String source,
        String model,
        String projectId,
        Instant startedAt,
        Instant lastActivity,
        Instant endedAt,
        String endReason,
        long messageCount,
        long toolCallCount,
        long inputTokens,
        long outputTokens,
        boolean pinned,
        boolean archived,
        String lineageRootId,
        String lineageTipId,
        int segmentCount,
        String relationshipType,
        String parentSessionId,
        String parentTitle,
        @JsonIgnore double sortKey) {
}
