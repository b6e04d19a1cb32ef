package dev.statehouse.sessions;

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
        String content,
        String toolCallId,
        @JsonRawValue String toolCalls,
        String toolName,
        Instant timestamp,
        Long tokenCount,
        String finishReason) {
}
