package dev.statehouse.kanban;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One transition or note in a task's history; {@code payload} is stored JSON. */
public record TaskEvent(long id, String board, String taskId, String runId, String kind,
                        @JsonRawValue String payload, Instant createdAt) {
}
