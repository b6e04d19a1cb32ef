package dev.statehouse.kanban;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.statehouse.domain.DomainException;

/**
 * Where a task is. {@link #RUNNING} and {@link #BLOCKED} are entered and left through the worker
 * protocol (claim, complete, fail, block, unblock); {@link #manualMoves()} says what a PATCH may do.
 * Stored and sent as the lower-case name.
 */
public enum TaskStatus {
    TRIAGE, TODO, READY, RUNNING, BLOCKED, REVIEW, DONE, ARCHIVED;

    /** What a new task may start as. */
    public static final Set<TaskStatus> CREATABLE = EnumSet.of(TRIAGE, TODO, READY);
    /** What a task waiting for work (not running, not finished) is; such a task can be blocked without a lock. */
    public static final Set<TaskStatus> WAITING = EnumSet.of(TRIAGE, TODO, READY, REVIEW);
    /** The regular expression of the stored values, for request parameters. */
    public static final String REGEX = "triage|todo|ready|running|blocked|review|done|archived";

    private static final Map<String, TaskStatus> BY_VALUE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TaskStatus::value, s -> s));

    private static final Map<TaskStatus, Set<TaskStatus>> MANUAL = Map.of(
            TRIAGE, EnumSet.of(TODO, READY, ARCHIVED),
            TODO, EnumSet.of(TRIAGE, READY, ARCHIVED),
            READY, EnumSet.of(TRIAGE, TODO, ARCHIVED),
            REVIEW, EnumSet.of(DONE, READY, TODO, ARCHIVED),
            DONE, EnumSet.of(TODO, ARCHIVED),
            ARCHIVED, EnumSet.of(TODO, TRIAGE),
            RUNNING, EnumSet.noneOf(TaskStatus.class),
            BLOCKED, EnumSet.noneOf(TaskStatus.class));

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The status a PATCH may move a task in this status to. */
    public Set<TaskStatus> manualMoves() {
        return MANUAL.get(this);
    }

    @JsonCreator
    public static TaskStatus of(String value) {
        TaskStatus status = value == null ? null : BY_VALUE.get(value);
        if (status == null) {
            throw new DomainException.InvalidInput("status", "must be one of " + String.join(", ", BY_VALUE.keySet().stream().sorted().toList()));
        }
        return status;
    }

    @Override
    public String toString() {
        return value();
    }
}
