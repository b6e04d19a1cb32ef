package dev.statehouse.checkpoints;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** One snapshot of a resource. {@code state} is {@code missing} when its file vanished from the store. */
public record Checkpoint(String id, String planId, String resource, @Schema(nullable = true) String label, long sizeBytes, Instant createdAt,
                         String state, long restoreCount, @Schema(nullable = true) Instant lastRestoredAt, @JsonIgnore String file) {
}
