package dev.statehouse.checkpoints;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

public record Plan(String id, @Schema(nullable = true) String description, String status, Instant createdAt, Instant updatedAt,
                   @Schema(nullable = true) Instant endedAt,
                   List<Checkpoint> checkpoints) {
}
