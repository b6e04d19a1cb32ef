package dev.statehouse.sessions;

import java.time.Instant;

import dev.statehouse.domain.CleanText;
import dev.statehouse.domain.Ids;
import dev.statehouse.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import tools.jackson.databind.JsonNode;

/** The request bodies of {@code /api/sessions}, validated before the controller runs. */
public final class SessionRequests {

    // The API's limits, one constant each: the annotations below and the hermes import (which applies
    // the same rules to imported rows) read them from here.
    public static final int SOURCE_MAX_BYTES = 64;
    public static final int USER_ID_MAX_BYTES = 128;
    public static final int MODEL_MAX_BYTES = 128;
    public static final int TITLE_MAX_BYTES = 500;
    public static final int END_REASON_MAX_BYTES = 64;
    public static final String ROLES = "system|user|assistant|tool";
    public static final int CONTENT_MAX_BYTES = 1024 * 1024;
    public static final int TOOL_CALL_ID_MAX_BYTES = 128;
    public static final int TOOL_CALLS_MAX_BYTES = 256 * 1024;
    public static final int TOOL_NAME_MAX_BYTES = 128;
    public static final long TOKEN_COUNT_MAX = 1_000_000_000L;
    public static final int FINISH_REASON_MAX_BYTES = 64;

    private SessionRequests() {
    }

    @Schema(description = "A new session; the id is generated when absent, started_at defaults to now.",
            example = "{\"source\":\"cli\",\"title\":\"Refactor the parser\",\"model\":\"claude-sonnet\"}")
    public record CreateSession(
            @Pattern(regexp = Ids.REGEX) String id,
            @NotBlank @CleanText(maxBytes = SOURCE_MAX_BYTES) String source,
            @CleanText(maxBytes = USER_ID_MAX_BYTES) String userId,
            @CleanText(maxBytes = MODEL_MAX_BYTES) String model,
            @CleanText(maxBytes = TITLE_MAX_BYTES) String title,
            @Pattern(regexp = Ids.REGEX) String projectId,
            @Schema(description = "the session this one continues (lineage)") @Pattern(regexp = Ids.REGEX) String parentSessionId,
            @Schema(description = "ISO-8601 or epoch seconds") Instant startedAt) {
    }

    @Schema(description = "Fields to change; a field sent as null clears it (title, project_id). The first end reason wins.",
            example = "{\"title\":\"Parser refactor\",\"pinned\":true}")
    public static final class UpdateSession extends PatchRequest {
        @CleanText(maxBytes = TITLE_MAX_BYTES)
        @Schema(nullable = true, description = "null clears it")
        private String title;
        @Pattern(regexp = Ids.REGEX)
        @Schema(nullable = true, description = "null takes the session out of its project")
        private String projectId;
        private Boolean pinned;
        private Boolean archived;
        @CleanText(maxBytes = END_REASON_MAX_BYTES)
        @Schema(nullable = true, description = "ends the session; the first end reason wins (later ones are ignored)")
        private String endReason;
        @Schema(nullable = true, description = "ISO-8601 or epoch seconds; needs end_reason")
        private Instant endedAt;

        public String getTitle() { return title; }
        public void setTitle(String title) { this.title = title; sent("title"); }
        public String getProjectId() { return projectId; }
        public void setProjectId(String projectId) { this.projectId = projectId; sent("project_id"); }
        public Boolean getPinned() { return pinned; }
        public void setPinned(Boolean pinned) { this.pinned = pinned; sent("pinned"); }
        public Boolean getArchived() { return archived; }
        public void setArchived(Boolean archived) { this.archived = archived; sent("archived"); }
        public String getEndReason() { return endReason; }
        public void setEndReason(String endReason) { this.endReason = endReason; sent("end_reason"); }
        public Instant getEndedAt() { return endedAt; }
        public void setEndedAt(Instant endedAt) { this.endedAt = endedAt; sent("ended_at"); }

        @Schema(hidden = true)
        @AssertTrue(message = "pinned and archived must be true or false, not null")
        public boolean isFlagsNotNull() {
            return !(has("pinned") && pinned == null) && !(has("archived") && archived == null);
        }

        @Schema(hidden = true)
        @AssertTrue(message = "end_reason must not be blank, and ended_at needs end_reason")
        public boolean isEndConsistent() {
            return (endReason == null || !endReason.isBlank()) && (endedAt == null || endReason != null);
        }
    }

    @Schema(description = "A message appended to a session; timestamp defaults to now.",
            example = "{\"role\":\"user\",\"content\":\"Split parse() into lexer and parser\",\"token_count\":12}")
    public record AppendMessage(
            @NotNull @Pattern(regexp = ROLES, message = "must be one of system, user, assistant, tool") String role,
            @CleanText(maxBytes = CONTENT_MAX_BYTES) String content,
            @CleanText(maxBytes = TOOL_CALL_ID_MAX_BYTES) String toolCallId,
            @Schema(description = "a JSON array or object, at most 256 KiB") JsonNode toolCalls,
            @CleanText(maxBytes = TOOL_NAME_MAX_BYTES) String toolName,
            @Schema(description = "ISO-8601 or epoch seconds") Instant timestamp,
            @Min(0) @Max(TOKEN_COUNT_MAX) Long tokenCount,
            @CleanText(maxBytes = FINISH_REASON_MAX_BYTES) String finishReason) {

        @Schema(hidden = true)
        @AssertTrue(message = "tool_calls must be a JSON array or object of at most 256 KiB")
        public boolean isToolCallsValid() {
            return toolCalls == null || toolCalls.isNull()
                    || ((toolCalls.isArray() || toolCalls.isObject()) && dev.statehouse.domain.Text.problem(toolCalls.toString(), TOOL_CALLS_MAX_BYTES) == null);
        }
    }
}
