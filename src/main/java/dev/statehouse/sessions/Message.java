package dev.statehouse.sessions;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One message of a session. {@code toolCalls} is stored JSON text and is emitted as JSON: as it is
 * when it is one JSON value, else as a JSON string holding the text ({@link dev.statehouse.domain.StoredJson}).
 */
public record Message(
        long id,
        String sessionId,
        String role,
        @Schema(nullable = true) String content,
        @Schema(nullable = true) String toolCallId,
        @JsonRawValue @Schema(nullable = true) String toolCalls,
        @Schema(nullable = true) String toolName,
        Instant timestamp,
        @Schema(nullable = true) Long tokenCount,
        @Schema(nullable = true) String finishReason) {
}
