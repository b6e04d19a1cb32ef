package dev.statehouse.kanban;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A task with its links, runs, events and comments. */
public record TaskDetail(@JsonUnwrapped Task task, List<String> parents, List<String> children, List<TaskRun> runs,
                         List<TaskEvent> events, List<TaskComment> comments) {
}
