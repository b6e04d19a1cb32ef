package dev.statehouse.kanban;

import java.time.Instant;

public record TaskComment(long id, String taskId, String author, String body, Instant createdAt) {
}
