package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.statehouse.web.ApiException;
import dev.statehouse.web.Cursor;
import dev.statehouse.web.Ids;
import dev.statehouse.web.JsonBody;
import dev.statehouse.web.Params;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api")
public class KanbanController {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int TEXT_MAX = 64 * 1024;
    private static final int SHORT_MAX = 200;

    private final KanbanService kanban;
    private final Dispatcher dispatcher;
    private final BoardEvents events;
    private final KanbanRepository repo;

    public KanbanController(KanbanService kanban, Dispatcher dispatcher, BoardEvents events, KanbanRepository repo) {
        this.kanban = kanban;
        this.dispatcher = dispatcher;
        this.events = events;
        this.repo = repo;
    }

    private static String slug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw ApiException.badRequest("board slug must match [a-z0-9][a-z0-9_-]{0,63}");
        }
        return slug;
    }

    // ---- boards -------------------------------------------------------------------------------

    @GetMapping("/boards")
    public Map<String, List<Board>> boards(@RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived) {
        return Map.of("boards", kanban.boards(includeArchived));
    }

    @PostMapping("/boards")
    public ResponseEntity<Board> createBoard(@RequestBody JsonNode json) {
        JsonBody body = JsonBody.of(json, Set.of("slug", "name", "description"));
        String slug = body.matching("slug", SLUG, "[a-z0-9][a-z0-9_-]{0,63}", true);
        Board board = kanban.createBoard(slug, body.text("name", SHORT_MAX, true), body.text("description", TEXT_MAX, false));
        return ResponseEntity.status(HttpStatus.CREATED).body(board);
    }

    @GetMapping("/boards/{slug}")
    public Board board(@PathVariable String slug) {
        return kanban.board(slug(slug));
    }

    @PostMapping("/boards/{slug}/archive")
    public Board archive(@PathVariable String slug) {
        return kanban.archiveBoard(slug(slug));
    }

    // ---- tasks --------------------------------------------------------------------------------

    @PostMapping("/boards/{slug}/tasks")
    public ResponseEntity<Task> createTask(@PathVariable String slug, @RequestBody JsonNode json) {
        slug(slug);
        JsonBody body = JsonBody.of(json, Set.of("title", "body", "assignee", "status", "priority", "created_by",
                "idempotency_key", "parents"));
        String status = body.text("status", 16, false);
        if (status != null && !KanbanService.CREATE_STATUSES.contains(status)) {
            throw ApiException.badRequest("a new task's status must be triage, todo or ready");
        }
        List<String> parents = new ArrayList<>();
        JsonNode rawParents = body.raw("parents");
        if (rawParents != null) {
            if (!rawParents.isArray() || rawParents.size() > 100) {
                throw ApiException.badRequest("field 'parents' must be an array of at most 100 task ids");
            }
            for (JsonNode p : rawParents) {
                if (!p.isString() || !Ids.ID.matcher(p.stringValue()).matches()) {
                    throw ApiException.badRequest("field 'parents' must hold task ids");
                }
                if (!parents.contains(p.stringValue())) {
                    parents.add(p.stringValue());
                }
            }
        }
        Long priority = body.integer("priority", -1_000_000, 1_000_000, false);
        KanbanService.NewTask task = new KanbanService.NewTask(body.text("title", SHORT_MAX * 5, true),
                body.text("body", TEXT_MAX, false), body.text("assignee", SHORT_MAX, false),
                status == null ? "todo" : status, priority == null ? 0 : priority, body.text("created_by", SHORT_MAX, false),
                body.text("idempotency_key", SHORT_MAX, false), parents);
        KanbanService.Created created = kanban.createTask(slug, task);
        return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK).body(created.task());
    }

    @GetMapping("/boards/{slug}/tasks")
    public Map<String, Object> tasks(@PathVariable String slug, @RequestParam(required = false) String status,
                                     @RequestParam(required = false) String assignee,
                                     @RequestParam(required = false) Integer limit,
                                     @RequestParam(required = false) String cursor) {
        slug(slug);
        if (status != null && !status.isEmpty() && !KanbanService.STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be one of " + KanbanService.STATUSES);
        }
        int pageSize = Params.limit(limit, 100, 500);
        List<Task> page = kanban.tasks(slug, status == null || status.isEmpty() ? null : status,
                Params.filter("assignee", assignee), Cursor.decode(cursor), pageSize + 1);
        String next = null;
        if (page.size() > pageSize) {
            page = page.subList(0, pageSize);
            Task last = page.get(pageSize - 1);
            next = new Cursor(kanban.cursorKey(last.id()), last.id()).encode();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page);
        out.put("next_cursor", next);
        return out;
    }

    @GetMapping("/tasks/{id}")
    public TaskDetail task(@PathVariable String id) {
        return kanban.detail(Ids.require(id, "task id"));
    }

    @PatchMapping("/tasks/{id}")
    public Task patch(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("title", "body", "assignee", "priority", "status"));
        if (body.isNull("title")) {
            throw ApiException.badRequest("field 'title' must not be null");
        }
        String title = body.text("title", SHORT_MAX * 5, false);
        if (title != null && title.isBlank()) {
            throw ApiException.badRequest("field 'title' must not be blank");
        }
        String status = body.text("status", 16, false);
        if (status != null && !KanbanService.STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be one of " + KanbanService.STATUSES);
        }
        return kanban.patch(id, new KanbanService.TaskPatch(body.has("title"), title, body.has("body"),
                body.text("body", TEXT_MAX, false), body.has("assignee"), body.text("assignee", SHORT_MAX, false),
                body.integer("priority", -1_000_000, 1_000_000, false), status));
    }

    @PostMapping("/tasks/{id}/links")
    public ResponseEntity<TaskDetail> link(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("parent_id"));
        return ResponseEntity.status(HttpStatus.CREATED).body(kanban.link(id, body.id("parent_id", true)));
    }

    @DeleteMapping("/tasks/{id}/links/{parentId}")
    public TaskDetail unlink(@PathVariable String id, @PathVariable String parentId) {
        return kanban.unlink(Ids.require(id, "task id"), Ids.require(parentId, "parent id"));
    }

    @PostMapping("/tasks/{id}/comments")
    public ResponseEntity<TaskComment> comment(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("author", "body"));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(kanban.comment(id, body.text("author", SHORT_MAX, false), body.text("body", TEXT_MAX, true)));
    }

    // ---- the worker protocol ------------------------------------------------------------------

    private Integer lease(JsonBody body, boolean defaulted) {
        String field = body.has("ttlSeconds") ? "ttlSeconds" : "ttl_seconds";
        Long ttl = body.integer(field, 1, kanban.maxLeaseSeconds(), false);
        if (ttl == null) {
            return defaulted ? kanban.defaultLeaseSeconds() : null;
        }
        return ttl.intValue();
    }

    /** Claims the next ready task: 200 with the task and its lock, or 204 when nothing is ready. */
    @PostMapping("/boards/{slug}/claims")
    public ResponseEntity<Claim> claim(@PathVariable String slug, @RequestBody JsonNode json) {
        slug(slug);
        JsonBody body = JsonBody.of(json, Set.of("worker", "ttl_seconds", "ttlSeconds", "assignee"));
        Claim claim = kanban.claim(slug, body.text("worker", SHORT_MAX, true), lease(body, true),
                body.text("assignee", SHORT_MAX, false));
        return claim == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(claim);
    }

    /** What a batch claim returns: the claims made, possibly none. */
    public record Claims(List<Claim> claims) {
    }

    /**
     * Claims up to {@code max} ready tasks in one transaction, for a worker with several free slots:
     * 200 with the claims made, in claim order (an empty list when nothing is ready).
     */
    @PostMapping("/boards/{slug}/claims/batch")
    public Claims claimBatch(@PathVariable String slug, @RequestBody JsonNode json) {
        slug(slug);
        JsonBody body = JsonBody.of(json, Set.of("worker", "ttl_seconds", "ttlSeconds", "assignee", "max"));
        String worker = body.text("worker", SHORT_MAX, true);
        int lease = lease(body, true);
        String assignee = body.text("assignee", SHORT_MAX, false);
        int max = body.integer("max", 1, kanban.maxClaimBatch(), true).intValue();
        return new Claims(kanban.claimBatch(slug, worker, lease, assignee, max));
    }

    @PostMapping("/tasks/{id}/heartbeat")
    public Task heartbeat(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("lock", "ttl_seconds", "ttlSeconds"));
        return kanban.heartbeat(id, body.text("lock", 128, true), lease(body, false));
    }

    @PostMapping("/tasks/{id}/complete")
    public Task complete(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("lock", "result", "review"));
        return kanban.complete(id, body.text("lock", 128, true), body.text("result", TEXT_MAX, false),
                Boolean.TRUE.equals(body.bool("review")));
    }

    @PostMapping("/tasks/{id}/fail")
    public Task fail(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("lock", "error"));
        return kanban.fail(id, body.text("lock", 128, true), body.text("error", TEXT_MAX, true));
    }

    @PostMapping("/tasks/{id}/block")
    public Task block(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "task id");
        JsonBody body = JsonBody.of(json, Set.of("lock", "reason"));
        return kanban.block(id, body.text("lock", 128, false), body.text("reason", TEXT_MAX, true));
    }

    @PostMapping("/tasks/{id}/unblock")
    public Task unblock(@PathVariable String id) {
        return kanban.unblock(Ids.require(id, "task id"));
    }

    // ---- dispatcher and watchers ---------------------------------------------------------------

    @GetMapping("/dispatcher")
    public Map<String, Object> dispatcher() {
        Map<String, Object> status = dispatcher.status();
        status.put("watchers", events.watchers());
        return status;
    }

    /** Server-Sent Events of a board; {@code Last-Event-ID} (or {@code after}) replays what was missed, up to 1,000 events. */
    @GetMapping(path = "/boards/{slug}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter watch(@PathVariable String slug,
                            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                            @RequestParam(required = false) Long after) {
        kanban.requireBoard(slug(slug));
        long from = after != null ? after : -1;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                from = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID must be an event id");
            }
        }
        List<TaskEvent> backlog = from >= 0 ? repo.boardEventsAfter(slug, from, 1000) : List.of();
        return events.subscribe(slug, backlog);
    }
}
