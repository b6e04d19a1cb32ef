package dev.statehouse.sessions;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@RestController
@RequestMapping("/api/sessions")
public class SessionController {

    static final int CONTENT_MAX_BYTES = 1024 * 1024;
    static final int TOOL_CALLS_MAX_BYTES = 256 * 1024;
    static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final int SIDEBAR_DEFAULT = 50;
    private static final int SIDEBAR_MAX = 200;
    private static final int MESSAGES_DEFAULT = 100;
    private static final int MESSAGES_MAX = 500;

    private final SessionRepository sessions;
    private final Clock clock;
    private final SidebarCache sidebarCache;
    private final ObjectMapper json;

    public SessionController(SessionRepository sessions, Clock clock, SidebarCache sidebarCache, ObjectMapper json) {
        this.sessions = sessions;
        this.clock = clock;
        this.sidebarCache = sidebarCache;
        this.json = json;
    }

    /** The sidebar: lineage chains collapsed to one row, newest activity first, keyset-paginated. */
    @GetMapping
    public ResponseEntity<byte[]> sidebar(@RequestParam(required = false) String source,
                                       @RequestParam(required = false) String project,
                                       @RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived,
                                       @RequestParam(name = "include_empty", defaultValue = "false") boolean includeEmpty,
                                       @RequestParam(name = "include_background", defaultValue = "false") boolean includeBackground,
                                       @RequestParam(required = false) Integer limit,
                                       @RequestParam(required = false) String cursor) {
        int pageSize = Params.limit(limit, SIDEBAR_DEFAULT, SIDEBAR_MAX);
        String projectId = project == null || project.isEmpty() ? null : Ids.require(project, "project");
        String sourceFilter = Params.filter("source", source);
        Cursor after = Cursor.decode(cursor);
        SessionRepository.SidebarFilter filter = new SessionRepository.SidebarFilter(sourceFilter, projectId, includeArchived,
                includeEmpty, includeBackground);
        String key = filter + "\u0000" + pageSize + "\u0000" + cursor;
        byte[] body = sidebarCache.get(key, () -> {
            List<SidebarRow> rows = sessions.sidebar(filter, after, pageSize + 1);
            String next = null;
            if (rows.size() > pageSize) {
                rows = rows.subList(0, pageSize);
                SidebarRow last = rows.get(pageSize - 1);
                next = new Cursor(last.sortKey(), last.lineageRootId()).encode();
            }
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("sessions", rows);
            page.put("next_cursor", next);
            return json.writeValueAsBytes(page);
        });
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @PostMapping
    public ResponseEntity<Session> create(@RequestBody JsonNode json) {
        JsonBody body = JsonBody.of(json, Set.of("id", "source", "user_id", "model", "title", "project_id",
                "parent_session_id", "started_at"));
        String id = body.id("id", false);
        NewSession session = new NewSession(
                id == null ? Ids.random("s_", 12) : id,
                body.text("source", 64, true),
                body.text("user_id", 128, false),
                body.text("model", 128, false),
                body.text("title", 500, false),
                body.id("project_id", false),
                body.id("parent_session_id", false),
                orNow(body.instant("started_at")));
        return ResponseEntity.status(HttpStatus.CREATED).body(sessions.create(session));
    }

    @GetMapping("/{id}")
    public Session get(@PathVariable String id) {
        Ids.require(id, "session id");
        return sessions.find(id).orElseThrow(() -> ApiException.notFound("session", id));
    }

    /** Title, project, pinned, archived, or end with a reason (the first end reason wins). */
    @PatchMapping("/{id}")
    public Session update(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "session id");
        JsonBody body = JsonBody.of(json, Set.of("title", "project_id", "pinned", "archived", "end_reason", "ended_at"));
        String endReason = body.text("end_reason", 64, false);
        Instant endedAt = body.instant("ended_at");
        if (endedAt != null && endReason == null) {
            throw ApiException.badRequest("field 'ended_at' needs 'end_reason'");
        }
        if (endReason != null && endReason.isBlank()) {
            throw ApiException.badRequest("field 'end_reason' must not be blank");
        }
        if ((body.has("pinned") && body.isNull("pinned")) || (body.has("archived") && body.isNull("archived"))) {
            throw ApiException.badRequest("fields 'pinned' and 'archived' must be true or false");
        }
        SessionPatch patch = new SessionPatch(
                body.has("title"), body.text("title", 500, false),
                body.has("project_id"), body.id("project_id", false),
                body.bool("pinned"), body.bool("archived"),
                endReason, endReason == null ? null : orNow(endedAt));
        return sessions.update(id, patch);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        Ids.require(id, "session id");
        if (!sessions.delete(id)) {
            throw ApiException.notFound("session", id);
        }
        return ResponseEntity.noContent().build();
    }

    /** A page of messages, oldest first; {@code next_before} fetches the page before it. */
    @GetMapping("/{id}/messages")
    public Map<String, Object> messages(@PathVariable String id,
                                        @RequestParam(required = false) Integer limit,
                                        @RequestParam(required = false) Long before) {
        Ids.require(id, "session id");
        int pageSize = Params.limit(limit, MESSAGES_DEFAULT, MESSAGES_MAX);
        if (!sessions.exists(id)) {
            throw ApiException.notFound("session", id);
        }
        if (before != null && !sessions.messageExists(id, before)) {
            throw ApiException.badRequest("before must be the id of a message of this session");
        }
        List<Message> page = sessions.messages(id, before, pageSize + 1);
        Long nextBefore = null;
        if (page.size() > pageSize) {
            page = page.subList(1, page.size()); // the extra row is the oldest one
            nextBefore = page.get(0).id();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messages", page);
        body.put("next_before", nextBefore);
        return body;
    }

    @PostMapping("/{id}/messages")
    public ResponseEntity<Message> append(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "session id");
        JsonBody body = JsonBody.of(json, Set.of("role", "content", "tool_call_id", "tool_calls", "tool_name",
                "timestamp", "token_count", "finish_reason"));
        String role = body.text("role", 16, true);
        if (!ROLES.contains(role)) {
            throw ApiException.badRequest("field 'role' must be one of system, user, assistant, tool");
        }
        JsonNode toolCalls = body.raw("tool_calls");
        String toolCallsJson = null;
        int toolCallCount = 0;
        if (toolCalls != null) {
            if (!toolCalls.isArray() && !toolCalls.isObject()) {
                throw ApiException.badRequest("field 'tool_calls' must be a JSON array or object");
            }
            toolCallsJson = toolCalls.toString();
            JsonBody.checkText("tool_calls", toolCallsJson, TOOL_CALLS_MAX_BYTES);
            toolCallCount = toolCalls.isArray() ? toolCalls.size() : 1;
        }
        NewMessage message = new NewMessage(role,
                body.text("content", CONTENT_MAX_BYTES, false),
                body.text("tool_call_id", 128, false),
                toolCallsJson, toolCallCount,
                body.text("tool_name", 128, false),
                orNow(body.instant("timestamp")),
                body.integer("token_count", 0, 1_000_000_000L, false),
                body.text("finish_reason", 64, false));
        return ResponseEntity.status(HttpStatus.CREATED).body(sessions.appendMessage(id, message));
    }

    private Instant orNow(Instant instant) {
        return instant == null ? clock.instant() : instant;
    }
}
