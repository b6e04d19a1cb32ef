package dev.statehouse.kanban;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

public record TaskComment(long id, String taskId, @Schema(nullable = true) String author, String body, Instant createdAt) {
}
