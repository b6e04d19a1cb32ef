package dev.statehouse.kanban;

import java.time.Instant;
import java.util.Map;

/** A kanban board; {@code taskCounts} holds tasks per status (only on single-board reads). */
public record Board(String slug, String name, String description, Instant createdAt, boolean archived,
                    Map<String, Long> taskCounts,
                    @com.fasterxml.jackson.annotation.JsonIgnore @io.swagger.v3.oas.annotations.media.Schema(hidden = true) double sortKey) {
}
