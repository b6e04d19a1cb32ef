package dev.statehouse.kanban;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.util.Map;

import dev.statehouse.domain.DomainException;
import dev.statehouse.security.EventTickets;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@Tag(name = "events", description = "Board events as Server-Sent Events, and the dispatcher's state")
@RestController
@RequestMapping("/api")
public class BoardEventsController {

    private final BoardService boards;
    private final BoardEvents events;
    private final Dispatcher dispatcher;
    private final EventTickets tickets;

    public BoardEventsController(BoardService boards, BoardEvents events, Dispatcher dispatcher,
                                 EventTickets tickets) {
        this.boards = boards;
        this.events = events;
        this.dispatcher = dispatcher;
        this.tickets = tickets;
    }

    @Operation(summary = "A board's events as Server-Sent Events",
            description = "Last-Event-ID (or after) replays what was missed, up to statehouse.kanban.max-replay events (1,000); a watcher"
                    + " further behind is sent one `reload` event instead (data: board, missed_after, resumes_after, detail; its id is"
                    + " resumes_after), then the events after it: it reloads the board and keeps the stream. A browser EventSource, which cannot send"
                    + " the Authorization header, passes a ticket from POST /api/boards/{slug}/events/tickets as ?ticket=.")
    @GetMapping(path = "/boards/{slug}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "a stream of Server-Sent Events: first the"
            + " comment `:watching SLUG`, then per event `id:` (its position, to send back as Last-Event-ID), `event:` (the task"
            + " event's kind, or `reload`) and `data:` (a TaskEvent as JSON, or for `reload` a BoardReload); x-sse-events names each",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", format = "event-stream")))
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.TOO_MANY_WATCHERS, ErrorKind.SHUTTING_DOWN})
    public SseEmitter watch(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug,
                            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                            @RequestParam(required = false) Long after,
                            @Parameter(description = "a board-event ticket (instead of the Authorization header)")
                            @RequestParam(required = false) String ticket) {
        boards.requireBoard(slug);
        String from = after != null && after >= 0 ? Long.toString(after) : null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            from = lastEventId.trim();
            if (!from.matches("[0-9]{1,18}(\\.[0-9]{1,18})?")) {
                throw new DomainException.InvalidInput("Last-Event-ID", "must be the id of an event this stream sent (digits, or digits.digits)");
            }
        }
        return events.subscribe(slug, from);
    }

    /** A board-event ticket: the ticket, until when it opens the stream, and the stream's URL with it. */
    public record EventTicket(String ticket, java.time.Instant expiresAt, String url) {
    }

    @Operation(summary = "A short-lived, read-only ticket for this board's event stream (for EventSource)",
            description = "Needs scope read. The ticket opens GET /api/boards/{slug}/events?ticket=… until expires_at, and nothing else.")
    @PostMapping("/boards/{slug}/events/tickets")
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<EventTicket> ticket(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug) {
        boards.requireBoard(slug);
        EventTickets.Ticket t = tickets.issue(slug);
        String url = "/api/boards/" + slug + "/events?ticket=" + t.ticket();
        return Responses.created(url, new EventTicket(t.ticket(), t.expiresAt(), url));
    }

    @Operation(summary = "The dispatcher's last ticks and the number of open event streams")
    @GetMapping("/dispatcher")
    public Map<String, Object> dispatcher() {
        Map<String, Object> status = dispatcher.status();
        status.put("watchers", events.watchers());
        return status;
    }
}
