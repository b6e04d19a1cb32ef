package dev.statehouse.kanban;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** A kanban board; {@code taskCounts} holds tasks per status (only on single-board reads). */
public record Board(String slug, String name, @Schema(nullable = true) String description, Instant createdAt, boolean archived,
                    @Schema(nullable = true, description = "tasks by status; null in the list of boards") Map<String, Long> taskCounts,
                    @com.fasterxml.jackson.annotation.JsonIgnore @io.swagger.v3.oas.annotations.media.Schema(hidden = true) double sortKey) {
}
