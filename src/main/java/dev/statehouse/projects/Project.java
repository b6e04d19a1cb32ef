package dev.statehouse.projects;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A project; {@code sortKey} is created_at exactly as stored, for keyset cursors (never sent). */
public record Project(String id, String name, @Schema(nullable = true) String color, Instant createdAt, long sessionCount,
                      @com.fasterxml.jackson.annotation.JsonIgnore @io.swagger.v3.oas.annotations.media.Schema(hidden = true) double sortKey) {
}
