package dev.statehouse.kanban;

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
                throw DomainException.invalid("Last-Event-ID must be an event id");
            }
        }
        return events.subscribe(slug, from);
    }

    @Operation(summary = "A short-lived, read-only ticket for this board's event stream (for EventSource)",
            description = "Needs scope read. The ticket opens GET /api/boards/{slug}/events?ticket=… until expires_at, and nothing else.")
    @PostMapping("/boards/{slug}/events/tickets")
    public ResponseEntity<Map<String, Object>> ticket(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug) {
        boards.requireBoard(slug);
        EventTickets.Ticket t = tickets.issue(slug);
        String url = "/api/boards/" + slug + "/events?ticket=" + t.ticket();
        return Responses.created(url, Map.of("ticket", t.ticket(), "expires_at", t.expiresAt(), "url", url));
    }

    @Operation(summary = "The dispatcher's last ticks and the number of open event streams")
    @GetMapping("/dispatcher")
    public Map<String, Object> dispatcher() {
        Map<String, Object> status = dispatcher.status();
        status.put("watchers", events.watchers());
        return status;
    }
}
