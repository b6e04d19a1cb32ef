package dev.statehouse.sessions;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One row of the sidebar. A lineage chain (a head and its continuations) is one row: the head's
 * title and start, the tip's id, model and counts, the newest activity of any segment.
 * A child that is not a continuation is its own row with {@code relationship_type = child_session}.
 */
public record SidebarRow(
        String id,
        @Schema(nullable = true) String title,
        String source,
        @Schema(nullable = true) String model,
        @Schema(nullable = true) String projectId,
        Instant startedAt,
        Instant lastActivity,
        @Schema(nullable = true) Instant endedAt,
        @Schema(nullable = true) String endReason,
        long messageCount,
        long toolCallCount,
        long inputTokens,
        long outputTokens,
        boolean pinned,
        boolean archived,
        String lineageRootId,
        String lineageTipId,
        int segmentCount,
        @Schema(nullable = true) String relationshipType,
        @Schema(nullable = true) String parentSessionId,
        @Schema(nullable = true) String parentTitle,
        @JsonIgnore double sortKey) {
}
