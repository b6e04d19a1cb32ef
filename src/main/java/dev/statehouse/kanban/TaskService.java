package dev.statehouse.kanban;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Cursor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tasks as people and agents edit them: create (idempotently), read, list, patch, link, comment.
 * Every write is one transaction (BEGIN IMMEDIATE) that writes an event for each transition.
 */
@Service
public class TaskService {

    private final TaskRepository tasks;
    private final TaskEventRepository events;
    private final WorkerRepository workers;
    private final BoardService boards;
    private final TaskJournal journal;

    public TaskService(TaskRepository tasks, TaskEventRepository events, WorkerRepository workers, BoardService boards,
                       TaskJournal journal) {
        this.tasks = tasks;
        this.events = events;
        this.workers = workers;
        this.boards = boards;
        this.journal = journal;
    }

    public record NewTask(String title, String body, String assignee, TaskStatus status, long priority, String createdBy,
                          String idempotencyKey, List<String> parents) {
    }

    /** Creates a task; with a known idempotency key returns the existing task instead ({@code created} false). */
    public record Created(Task task, boolean created) {
    }

    @Transactional
    public Created createTask(String board, NewTask t) {
        boards.requireOpen(board);
        if (t.idempotencyKey() != null) {
            var existing = tasks.findByIdempotencyKey(board, t.idempotencyKey());
            if (existing.isPresent()) {
                return new Created(existing.get(), false);
            }
        }
        tasks.lockParents(t.parents());
        for (String parent : t.parents()) {
            Task p = tasks.findTask(parent).orElseThrow(() -> DomainException.unknownReference("parent task '" + parent + "' does not exist"));
            if (!p.board().equals(board)) {
                throw DomainException.unknownReference("parent task '" + parent + "' is on another board");
            }
        }
        String id = Ids.random("t_", 8);
        double now = journal.now();
        TaskStatus status = t.status();
        if (!tasks.insertTask(id, board, t.title(), t.body(), t.assignee(), status, t.priority(), t.createdBy(), t.idempotencyKey(), now)) {
            // the same key, committed meanwhile by a concurrent request (on any replica)
            return new Created(tasks.findByIdempotencyKey(board, t.idempotencyKey()).orElseThrow(), false);
        }
        for (String parent : t.parents()) {
            tasks.insertLink(parent, id);
        }
        if (status == TaskStatus.READY && tasks.unfinishedParents(id) > 0) {
            status = TaskStatus.TODO; // gated until its parents are done
            tasks.moveStatus(id, TaskStatus.READY, TaskStatus.TODO, now);
        }
        journal.record(board, id, null, "created", journal.payload("status", status, "title", t.title(), "parents", t.parents()), now);
        return new Created(tasks.findTask(id).orElseThrow(), true);
    }

    public Task task(String id) {
        return tasks.findTask(id).orElseThrow(() -> DomainException.notFound("task", id));
    }

    public TaskDetail detail(String id) {
        Task task = task(id);
        return new TaskDetail(task, tasks.parents(id), tasks.children(id), tasks.runs(id), events.events(id), tasks.comments(id));
    }

    public List<Task> tasks(String board, TaskStatus status, String assignee, dev.statehouse.storage.Cursor cursor, int limit) {
        boards.requireBoard(board);
        return tasks.listTasks(board, status, assignee, cursor, limit);
    }

    double cursorKey(String taskId) {
        return tasks.createdAtKey(taskId);
    }

    @Transactional
    public Task patch(String id, TaskPatch p) {
        Task task = task(id);
        double now = journal.now();
        Map<String, Object> changed = new LinkedHashMap<>();
        if (p.setTitle()) {
            changed.put("title", p.title());
        }
        if (p.setBody()) {
            changed.put("body", p.body() == null ? null : "(changed)");
        }
        if (p.setAssignee()) {
            changed.put("assignee", p.assignee());
        }
        if (p.priority() != null) {
            changed.put("priority", p.priority());
        }
        if (tasks.updateFields(id, p, now)) {
            journal.record(task.board(), id, null, "updated", journal.json(changed), now);
        }
        if (p.status() != null && p.status() != task.status()) {
            TaskStatus from = task.status();
            TaskStatus to = p.status();
            if (!from.manualMoves().contains(to)) {
                throw DomainException.conflict(ErrorKind.INVALID_TRANSITION, "a task cannot move from " + from + " to " + to
                        + (from == TaskStatus.RUNNING ? " by PATCH; the worker completes, fails or blocks it"
                        : from == TaskStatus.BLOCKED ? " by PATCH; unblock it" : ""));
            }
            if (to == TaskStatus.READY && tasks.unfinishedParents(id) > 0) {
                throw DomainException.conflict(ErrorKind.PARENTS_NOT_DONE, "task " + id + " has parents that are not done");
            }
            if (!tasks.moveStatus(id, from, to, now)) {
                throw DomainException.conflict(ErrorKind.CONCURRENT_CHANGE, "task " + id + " changed meanwhile; retry");
            }
            journal.record(task.board(), id, null, "status", journal.payload("from", from, "to", to), now);
            if (to == TaskStatus.DONE) {
                journal.promoteChildren(id, now);
            }
        }
        return task(id);
    }

    @Transactional
    public TaskDetail link(String childId, String parentId) {
        Task child = task(childId);
        Task parent = tasks.findTask(parentId).orElseThrow(() -> DomainException.unknownReference("parent task '" + parentId + "' does not exist"));
        if (!parent.board().equals(child.board())) {
            throw DomainException.unknownReference("parent task '" + parentId + "' is on another board");
        }
        if (tasks.isSelfOrAncestor(childId, parentId)) {
            throw DomainException.conflict(ErrorKind.DEPENDENCY_CYCLE, "linking " + parentId + " as a parent of " + childId + " would make a cycle");
        }
        double now = journal.now();
        if (tasks.insertLink(parentId, childId)) {
            journal.record(child.board(), childId, null, "linked", journal.payload("parent", parentId), now);
            if (child.status() == TaskStatus.READY && parent.status() != TaskStatus.DONE) {
                tasks.moveStatus(childId, TaskStatus.READY, TaskStatus.TODO, now);
                journal.record(child.board(), childId, null, "status", journal.payload("from", "ready", "to", "todo", "reason", "parent not done"), now);
            }
        }
        return detail(childId);
    }

    @Transactional
    public TaskDetail unlink(String childId, String parentId) {
        Task child = task(childId);
        if (!tasks.deleteLink(parentId, childId)) {
            throw DomainException.notFound("link", parentId + "->" + childId);
        }
        journal.record(child.board(), childId, null, "unlinked", journal.payload("parent", parentId), journal.now());
        return detail(childId);
    }

    @Transactional
    public TaskComment comment(String taskId, String author, String body) {
        Task task = task(taskId);
        double now = journal.now();
        TaskComment comment = tasks.insertComment(taskId, author, body, now);
        journal.record(task.board(), taskId, null, "commented", journal.payload("comment_id", comment.id(), "author", author), now);
        return comment;
    }
}
