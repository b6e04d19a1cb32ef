package dev.statehouse.checkpoints;

import java.time.Instant;
import java.util.List;

public record Plan(String id, String description, String status, Instant createdAt, Instant updatedAt, Instant endedAt,
                   List<Checkpoint> checkpoints) {
}
