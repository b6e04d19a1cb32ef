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
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.context.request.NativeWebRequest;

@Tag(name = "sessions", description = "Agent sessions with lineage; the sidebar")
@RestController
@RequestMapping("/api/sessions")
public class SessionController {

    private final SessionService sessions;
    private final Clock clock;
    private final SidebarPages sidebarPages;

    public SessionController(SessionService sessions, Clock clock, SidebarPages sidebarPages) {
        this.sessions = sessions;
        this.clock = clock;
        this.sidebarPages = sidebarPages;
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
            @RequestParam(defaultValue = "" + SidebarQuery.DEFAULT_LIMIT) @Min(1) @Max(SidebarQuery.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor,
            NativeWebRequest request) {
        Cursor after = Cursor.decode(cursor);
        SidebarFilter filter = new SidebarFilter(source == null || source.isEmpty() ? null : source,
                project == null || project.isEmpty() ? null : project, includeArchived, includeEmpty, includeBackground);
        HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
        String version = sidebarPages.version();
        String etag = sidebarPages.etag(version, servlet.getRequestURI(), servlet.getQueryString());
        if (Responses.notModified(request, etag)) {
            return null;
        }
        SidebarCache.Prepared page = sidebarPages.answer(new SidebarQuery(filter, limit, cursor, after), version, etag,
                servlet.getRequestURI(), servlet.getQueryString());
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (page.link() != null) {
            answer.header(HttpHeaders.LINK, page.link());
        }
        return answer.cacheControl(Responses.REVALIDATE).contentType(MediaType.APPLICATION_JSON).body(page.body());
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
