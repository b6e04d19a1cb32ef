package dev.statehouse.kanban;

import java.time.Instant;
import java.util.Map;

/** A kanban board; {@code taskCounts} holds tasks per status (only on single-board reads). */
public record Board(String slug, String name, String description, Instant createdAt, boolean archived,
                    Map<String, Long> taskCounts) {
}
