package dev.statehouse.kanban;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
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
import jakarta.validation.constraints.Size;

/** The request bodies of boards, tasks and the worker protocol. */
public final class KanbanRequests {

    static final String SLUG = "[a-z0-9][a-z0-9_-]{0,63}";
    static final int TEXT_MAX = 64 * 1024;
    static final int SHORT_MAX = 200;
    static final int TITLE_MAX = 1000;
    static final int LOCK_MAX = 128;
    /** Longest lease a request may name at all; the configured maximum (statehouse.kanban.max-lease-seconds) is checked after. */
    static final int LEASE_CEILING = 31_536_000;

    private KanbanRequests() {
    }

    @Schema(example = "{\"slug\":\"compiler\",\"name\":\"Compiler\",\"description\":\"Work on the parser\"}")
    public record CreateBoard(
            @NotNull @Pattern(regexp = SLUG) String slug,
            @NotBlank @CleanText(maxBytes = SHORT_MAX) String name,
            @CleanText(maxBytes = TEXT_MAX) String description) {
    }

    @Schema(description = "A new task; status triage, todo (default) or ready. A ready task with unfinished parents waits in todo."
            + " A known idempotency_key returns the existing task with 200.",
            example = "{\"title\":\"Split the lexer\",\"status\":\"ready\",\"priority\":5,\"idempotency_key\":\"plan-7-step-1\"}")
    public record CreateTask(
            @NotBlank @CleanText(maxBytes = TITLE_MAX) String title,
            @CleanText(maxBytes = TEXT_MAX) String body,
            @CleanText(maxBytes = SHORT_MAX) String assignee,
            @Schema(implementation = String.class, allowableValues = {"triage", "todo", "ready"}) TaskStatus status,
            @Min(-1_000_000) @Max(1_000_000) Long priority,
            @CleanText(maxBytes = SHORT_MAX) String createdBy,
            @CleanText(maxBytes = SHORT_MAX) String idempotencyKey,
            @Size(max = 100) List<@NotNull @Pattern(regexp = Ids.REGEX) String> parents) {

        @Schema(hidden = true)
        @AssertTrue(message = "status of a new task must be triage, todo or ready")
        public boolean isStatusCreatable() {
            return status == null || TaskStatus.CREATABLE.contains(status);
        }
    }

    @Schema(description = "Fields to change; body and assignee sent as null clear them. Status moves are limited (409 otherwise).",
            example = "{\"priority\":9,\"status\":\"ready\"}")
    public static final class UpdateTask extends PatchRequest {
        @CleanText(maxBytes = TITLE_MAX)
        private String title;
        @CleanText(maxBytes = TEXT_MAX)
        @Schema(nullable = true, description = "null clears it")
        private String body;
        @CleanText(maxBytes = SHORT_MAX)
        @Schema(nullable = true, description = "null unassigns the task")
        private String assignee;
        @Min(-1_000_000)
        @Max(1_000_000)
        private Long priority;
        private TaskStatus status;

        public String getTitle() { return title; }
        public void setTitle(String title) { this.title = title; sent("title"); }
        public String getBody() { return body; }
        public void setBody(String body) { this.body = body; sent("body"); }
        public String getAssignee() { return assignee; }
        public void setAssignee(String assignee) { this.assignee = assignee; sent("assignee"); }
        public Long getPriority() { return priority; }
        public void setPriority(Long priority) { this.priority = priority; sent("priority"); }
        public TaskStatus getStatus() { return status; }
        public void setStatus(TaskStatus status) { this.status = status; sent("status"); }

        @Schema(hidden = true)
        @AssertTrue(message = "title must not be null or blank")
        public boolean isTitleValid() {
            return !has("title") || (title != null && !title.isBlank());
        }
    }

    @Schema(example = "{\"parent_id\":\"t_0123456789abcdef\"}")
    public record Link(@NotNull @Pattern(regexp = Ids.REGEX) String parentId) {
    }

    @Schema(example = "{\"author\":\"reviewer\",\"body\":\"Looks good\"}")
    public record Comment(@CleanText(maxBytes = SHORT_MAX) String author, @NotBlank @CleanText(maxBytes = TEXT_MAX) String body) {
    }

    @Schema(description = "Claim the next ready task (highest priority, then oldest); ttl_seconds defaults to the configured lease.",
            example = "{\"worker\":\"worker-1\",\"ttl_seconds\":300}")
    public record ClaimOne(
            @NotBlank @CleanText(maxBytes = SHORT_MAX) String worker,
            @JsonAlias("ttlSeconds") @Min(1) @Max(LEASE_CEILING) Integer ttlSeconds,
            @CleanText(maxBytes = SHORT_MAX) String assignee) {
    }

    @Schema(example = "{\"worker\":\"worker-1\",\"max\":4}")
    public record ClaimBatch(
            @NotBlank @CleanText(maxBytes = SHORT_MAX) String worker,
            @JsonAlias("ttlSeconds") @Min(1) @Max(LEASE_CEILING) Integer ttlSeconds,
            @CleanText(maxBytes = SHORT_MAX) String assignee,
            @NotNull @Min(1) Integer max) {
    }

    @Schema(example = "{\"lock\":\"lk_…\",\"ttl_seconds\":300}")
    public record Heartbeat(@NotBlank @CleanText(maxBytes = LOCK_MAX) String lock,
                            @JsonAlias("ttlSeconds") @Min(1) @Max(LEASE_CEILING) Integer ttlSeconds) {
    }

    @Schema(description = "review true sends the task to review instead of done.", example = "{\"lock\":\"lk_…\",\"result\":\"merged\"}")
    public record Complete(@NotBlank @CleanText(maxBytes = LOCK_MAX) String lock, @CleanText(maxBytes = TEXT_MAX) String result,
                           Boolean review) {
    }

    @Schema(example = "{\"lock\":\"lk_…\",\"error\":\"tests failed\"}")
    public record Fail(@NotBlank @CleanText(maxBytes = LOCK_MAX) String lock, @NotBlank @CleanText(maxBytes = TEXT_MAX) String error) {
    }

    @Schema(description = "A running task needs its lock; a waiting one none.", example = "{\"reason\":\"waiting for the API key\"}")
    public record Block(@CleanText(maxBytes = LOCK_MAX) String lock, @NotBlank @CleanText(maxBytes = TEXT_MAX) String reason) {
    }
}
