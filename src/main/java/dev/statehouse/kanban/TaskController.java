package dev.statehouse.kanban;

import org.springframework.web.bind.annotation.ResponseStatus;
import dev.statehouse.web.Conditional;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.util.List;

import dev.statehouse.domain.CleanText;
import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.DataVersions;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "tasks", description = "Tasks on a board: create, list, edit, link, comment")
@RestController
@RequestMapping("/api")
public class TaskController {

    private final TaskService tasks;
    private final DataVersions versions;

    public TaskController(TaskService tasks, DataVersions versions) {
        this.tasks = tasks;
        this.versions = versions;
    }

    @Operation(operationId = "createTask", summary = "Create a task (200 with the existing task for a known idempotency_key)")
    @PostMapping("/boards/{slug}/tasks")
    @ResponseStatus(HttpStatus.CREATED)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", useReturnTypeSchema = true,
            description = "the task made before with the same idempotency_key (nothing new is made)")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.BOARD_ARCHIVED, ErrorKind.UNKNOWN_REFERENCE})
    public ResponseEntity<Task> create(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug,
                                       @Valid @RequestBody KanbanRequests.CreateTask body) {
        List<String> parents = body.parents() == null ? List.of() : body.parents().stream().distinct().toList();
        TaskService.NewTask task = new TaskService.NewTask(body.title(), body.body(), body.assignee(),
                body.status() == null ? TaskStatus.TODO : body.status(), body.priority() == null ? 0 : body.priority(),
                body.createdBy(), body.idempotencyKey(), parents);
        TaskService.Created created = tasks.createTask(slug, task);
        return created.created()
                ? Responses.created("/api/tasks/" + created.task().id(), created.task())
                : ResponseEntity.status(HttpStatus.OK).body(created.task());
    }

    @Operation(operationId = "listTasks", summary = "A board's tasks, newest first", description = "Paginated; conditional (ETag).")
    @GetMapping("/boards/{slug}/tasks")
    @Conditional
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Page<Task>> list(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug,
                                           @RequestParam(required = false) @Pattern(regexp = "(" + TaskStatus.REGEX + ")?") String status,
                                           @RequestParam(required = false) @CleanText(maxBytes = 256) String assignee,
                                           @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
                                           @RequestParam(required = false) String cursor, WebRequest request) {
        Cursor after = Cursor.decode(cursor);
        if (Responses.notModified(request, Responses.etag("tasks", versions.current(DataVersions.Scope.KANBAN)))) {
            return null;
        }
        List<Task> rows = tasks.tasks(slug, status == null || status.isEmpty() ? null : TaskStatus.of(status),
                assignee == null || assignee.isEmpty() ? null : assignee, after, limit + 1);
        Page<Task> page = Page.of(rows, limit, last -> new Cursor(tasks.cursorKey(last.id()), last.id()).encode());
        return Responses.revalidatedPage(page);
    }

    @Operation(summary = "A task with its parents, children, runs, events and comments")
    @GetMapping("/tasks/{id}")
    @CanFail({ErrorKind.NOT_FOUND})
    public TaskDetail task(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return tasks.detail(id);
    }

    @Operation(summary = "Edit a task; status moves are limited to what a person may do (running and blocked move through the worker protocol)")
    @PatchMapping("/tasks/{id}")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.INVALID_TRANSITION, ErrorKind.PARENTS_NOT_DONE, ErrorKind.CONCURRENT_CHANGE})
    public Task patch(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.UpdateTask body) {
        return tasks.patch(id, new TaskPatch(body.has("title"), body.getTitle(), body.has("body"), body.getBody(),
                body.has("assignee"), body.getAssignee(), body.getPriority(), body.getStatus()));
    }

    @Operation(summary = "Make parent_id a parent of this task (a ready child waits in todo until its parents are done)")
    @PostMapping("/tasks/{id}/links")
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.UNKNOWN_REFERENCE, ErrorKind.DEPENDENCY_CYCLE, ErrorKind.CONCURRENT_CHANGE})
    public ResponseEntity<TaskDetail> link(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.Link body) {
        return Responses.created("/api/tasks/" + id, tasks.link(id, body.parentId()));
    }

    @Operation(summary = "Remove a parent link")
    @DeleteMapping("/tasks/{id}/links/{parentId}")
    @CanFail({ErrorKind.NOT_FOUND})
    public TaskDetail unlink(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @PathVariable @Pattern(regexp = Ids.REGEX) String parentId) {
        return tasks.unlink(id, parentId);
    }

    @Operation(summary = "Comment on a task")
    @PostMapping("/tasks/{id}/comments")
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<TaskComment> comment(@PathVariable @Pattern(regexp = Ids.REGEX) String id,
                                               @Valid @RequestBody KanbanRequests.Comment body) {
        return Responses.created("/api/tasks/" + id, tasks.comment(id, body.author(), body.body()));
    }
}
