package dev.statehouse.sessions;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.Conditional;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.time.Clock;

import dev.statehouse.domain.Ids;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.JsonNode;

@Tag(name = "sessions")
@RestController
@RequestMapping("/api/sessions/{id}/messages")
public class MessageController {

    private final SessionService sessions;
    private final SidebarCache versions;
    private final Clock clock;

    public MessageController(SessionService sessions, SidebarCache versions, Clock clock) {
        this.sessions = sessions;
        this.versions = versions;
        this.clock = clock;
    }

    @Operation(summary = "A page of a session's messages, oldest first",
            description = "The first page holds the newest messages; next_cursor pages back in time. Conditional (ETag).")
    @GetMapping
    @Conditional
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Page<Message>> messages(@PathVariable @Pattern(regexp = Ids.REGEX) String id,
                                                  @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
                                                  @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false) Long cursor,
                                                  @Parameter(deprecated = true, description = "the same as cursor") @RequestParam(required = false) Long before,
                                                  WebRequest request) {
        Long from = cursor != null ? cursor : before;
        if (Responses.notModified(request, Responses.etag("messages", versions.version()))) {
            return null;
        }
        var rows = sessions.messages(id, from, limit + 1);
        Page<Message> page = rows.size() > limit
                ? new Page<>(rows.subList(1, rows.size()), String.valueOf(rows.get(1).id())) // the extra row is the oldest
                : new Page<>(rows, null);
        return Responses.revalidatedPage(page);
    }

    @Operation(summary = "One message")
    @GetMapping("/{messageId}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Message message(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @PathVariable long messageId) {
        return sessions.message(id, messageId);
    }

    @Operation(summary = "Append a message")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Message> append(@PathVariable @Pattern(regexp = Ids.REGEX) String id,
                                          @Valid @RequestBody SessionRequests.AppendMessage body) {
        JsonNode toolCalls = body.toolCalls() == null || body.toolCalls().isNull() ? null : body.toolCalls();
        NewMessage message = new NewMessage(body.role(), body.content(), body.toolCallId(),
                toolCalls == null ? null : toolCalls.toString(), toolCalls == null ? 0 : toolCalls.isArray() ? toolCalls.size() : 1,
                body.toolName(), body.timestamp() == null ? clock.instant() : body.timestamp(), body.tokenCount(), body.finishReason());
        Message created = sessions.append(id, message);
        return Responses.created("/api/sessions/" + id + "/messages/" + created.id(), created);
    }
}
