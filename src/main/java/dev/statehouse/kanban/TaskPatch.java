package dev.statehouse.kanban;

/**
 * A PATCH of a task: each field is changed only when set ({@code setTitle}, …; {@code priority} and
 * {@code status} when not null); a set field may be null where null clears it (body, assignee).
 */
public record TaskPatch(boolean setTitle, String title, boolean setBody, String body, boolean setAssignee, String assignee,
                        Long priority, TaskStatus status) {
}
