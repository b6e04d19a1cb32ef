package dev.statehouse.kanban;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

public record TaskRun(String id, String taskId, String worker, String status, Instant startedAt, @Schema(nullable = true) Instant endedAt,
                      @Schema(nullable = true) String outcome, @Schema(nullable = true) String summary, @Schema(nullable = true) String error) {
}
