package dev.statehouse.kanban;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One transition or note in a task's history; {@code payload} is stored JSON. */
public record TaskEvent(long id, String board, String taskId, @Schema(nullable = true) String runId, String kind,
                        @JsonRawValue @Schema(type = "object", description = "what the event carries; its fields depend on kind")
                        String payload, Instant createdAt) {
}
