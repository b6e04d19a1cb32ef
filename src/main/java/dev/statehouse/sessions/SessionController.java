package dev.statehouse.sessions;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.Conditional;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.statehouse.domain.CleanText;
import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Cursor;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
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
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.ObjectMapper;

@Tag(name = "sessions", description = "Agent sessions with lineage; the sidebar")
@RestController
@RequestMapping("/api/sessions")
public class SessionController {

    private final SessionService sessions;
    private final Clock clock;
    private final SidebarCache sidebarCache;
    private final ObjectMapper json;
    /** Part of every sidebar ETag: the rules that shape a page besides the data. */
    private final String sidebarRules;

    public SessionController(SessionService sessions, Clock clock, SidebarCache sidebarCache, ObjectMapper json,
                             SessionsProperties props) {
        this.sessions = sessions;
        this.clock = clock;
        this.sidebarCache = sidebarCache;
        this.json = json;
        this.sidebarRules = "sidebar" + Integer.toHexString(props.backgroundSources().hashCode());
    }

    /** A sidebar page as sent, and its next cursor (for the Link header). */
    private record SidebarPage(byte[] body, String nextCursor) {
    }

    @Operation(summary = "The sidebar: lineage chains collapsed to one row, newest activity first",
            description = "Keyset-paginated. Conditional: send the ETag back in If-None-Match to get 304 while nothing changed.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "a page of sidebar rows",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = SidebarRowPage.class)))
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Conditional
    public ResponseEntity<byte[]> sidebar(
            @Parameter(description = "only sessions of this source") @RequestParam(required = false) @CleanText(maxBytes = 256) String source,
            @Parameter(description = "only sessions of this project") @RequestParam(required = false) @Pattern(regexp = "(" + Ids.REGEX + ")?") String project,
            @RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived,
            @RequestParam(name = "include_empty", defaultValue = "false") boolean includeEmpty,
            @RequestParam(name = "include_background", defaultValue = "false") boolean includeBackground,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) String cursor,
            WebRequest request) {
        Cursor after = Cursor.decode(cursor);
        SidebarFilter filter = new SidebarFilter(source == null || source.isEmpty() ? null : source,
                project == null || project.isEmpty() ? null : project, includeArchived, includeEmpty, includeBackground);
        String version = sidebarCache.version();
        String etag = Responses.etag(sidebarRules, version);
        if (Responses.notModified(request, etag)) {
            return null;
        }
        String key = filter + "\u0000" + limit + "\u0000" + cursor;
        SidebarPage page = sidebarCache.get(key, version, () -> {
            Page<SidebarRow> rows = Page.of(sessions.sidebar(filter, after, limit + 1), limit,
                    last -> new Cursor(last.sortKey(), last.lineageRootId()).encode());
            return new SidebarPage(json.writeValueAsBytes(rows), rows.nextCursor());
        });
        ResponseEntity<byte[]> answer = Responses.withNextLink(ResponseEntity.ok(), page.nextCursor()).cacheControl(Responses.REVALIDATE)
                .contentType(MediaType.APPLICATION_JSON).body(page.body());
        if (request instanceof ServletWebRequest servlet) {
            sidebarCache.prepare(servlet.getRequest().getQueryString(),
                    new SidebarCache.Prepared(version, etag, answer.getHeaders().getFirst("Link"), page.body()));
        }
        return answer;
    }

    /** The sidebar page's schema, for the spec (the handler sends pre-serialized bytes). */
    static final class SidebarRowPage {
        public List<SidebarRow> items;
        @io.swagger.v3.oas.annotations.media.Schema(description = "pass as ?cursor= for the next page; null on the last page", nullable = true)
        public String nextCursor;
    }

    @Operation(operationId = "createSession", summary = "Create a session")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.ALREADY_EXISTS, ErrorKind.UNKNOWN_REFERENCE})
    public ResponseEntity<Session> create(@Valid @RequestBody SessionRequests.CreateSession body) {
        NewSession session = new NewSession(body.id() == null ? Ids.random("s_", 12) : body.id(), body.source(), body.userId(),
                body.model(), body.title(), body.projectId(), body.parentSessionId(), orNow(body.startedAt()));
        Session created = sessions.create(session);
        return Responses.created("/api/sessions/" + created.id(), created);
    }

    @Operation(operationId = "getSession", summary = "One session")
    @GetMapping("/{id}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Session get(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return sessions.session(id);
    }

    @Operation(operationId = "updateSession", summary = "Change title, project, pinned, archived, or end the session (the first end reason wins)")
    @PatchMapping("/{id}")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.UNKNOWN_REFERENCE, ErrorKind.CONTRADICTS_STATE})
    public Session update(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody SessionRequests.UpdateSession body) {
        String endReason = body.getEndReason();
        SessionPatch patch = new SessionPatch(body.has("title"), body.getTitle(), body.has("project_id"), body.getProjectId(),
                body.getPinned(), body.getArchived(), endReason, endReason == null ? null : orNow(body.getEndedAt()));
        return sessions.update(id, patch);
    }

    @Operation(operationId = "deleteSession", summary = "Delete a session and its messages")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        if (!sessions.delete(id)) {
            throw DomainException.notFound("session", id);
        }
        return ResponseEntity.noContent().build();
    }

    private Instant orNow(Instant instant) {
        return instant == null ? clock.instant() : instant;
    }
}
