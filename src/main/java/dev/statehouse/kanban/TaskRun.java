package dev.statehouse.kanban;

import java.time.Instant;

public record TaskRun(String id, String taskId, String worker, String status, Instant startedAt, Instant endedAt,
                      String outcome, String summary, String error) {
}
