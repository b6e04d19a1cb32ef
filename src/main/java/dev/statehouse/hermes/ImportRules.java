package dev.statehouse.hermes;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.statehouse.domain.Ids;
import dev.statehouse.domain.Text;

import static dev.statehouse.sessions.SessionRequests.CONTENT_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.END_REASON_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.FINISH_REASON_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.MODEL_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.ROLES;
import static dev.statehouse.sessions.SessionRequests.SOURCE_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.TITLE_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.TOKEN_COUNT_MAX;
import static dev.statehouse.sessions.SessionRequests.TOOL_CALLS_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.TOOL_CALL_ID_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.TOOL_NAME_MAX_BYTES;
import static dev.statehouse.sessions.SessionRequests.USER_ID_MAX_BYTES;

/**
 * The API's rules for a session and a message (the limits of {@code SessionRequests}), applied to a
 * row of the source: a row that breaks one is left out and counted under the reason returned here,
 * as the API would have refused it. Reasons are a small fixed set of texts (field and rule, never
 * the value), so counting them by reason takes bounded memory. The one difference from the API: a
 * {@code tool_calls} that is not one JSON value is not a reason — it is kept as a JSON string
 * ({@link dev.statehouse.domain.StoredJson}); only its size is bounded.
 */
final class ImportRules {

    private static final Pattern ROLE = Pattern.compile(ROLES);

    private ImportRules() {
    }

    /** Why the API would refuse this session, or null. */
    static String session(String id, String source, String userId, String model, String title, String endReason) {
        if (id == null || !Ids.ID.matcher(id).matches()) {
            return "an id the API cannot address";
        }
        if (source == null || source.isBlank()) {
            return "no source";
        }
        return first(field("source", source, SOURCE_MAX_BYTES), field("user_id", userId, USER_ID_MAX_BYTES),
                field("model", model, MODEL_MAX_BYTES), field("title", title, TITLE_MAX_BYTES),
                field("end_reason", endReason, END_REASON_MAX_BYTES));
    }

    /** Why the API would refuse this message, or null. */
    static String message(String role, String content, String toolCallId, String toolCalls, String toolName, Long tokenCount,
                          String finishReason) {
        if (role == null || !ROLE.matcher(role).matches()) {
            return "a role the API does not take (" + ROLES.replace('|', ',') + ")";
        }
        if (tokenCount != null && (tokenCount < 0 || tokenCount > TOKEN_COUNT_MAX)) {
            return "token_count outside 0 to " + TOKEN_COUNT_MAX;
        }
        String tooLong = toolCalls != null && (long) toolCalls.length() * 3 > TOOL_CALLS_MAX_BYTES
                && toolCalls.getBytes(StandardCharsets.UTF_8).length > TOOL_CALLS_MAX_BYTES
                ? "tool_calls is longer than " + TOOL_CALLS_MAX_BYTES + " bytes" : null;
        return first(field("content", content, CONTENT_MAX_BYTES), field("tool_call_id", toolCallId, TOOL_CALL_ID_MAX_BYTES),
                field("tool_name", toolName, TOOL_NAME_MAX_BYTES), field("finish_reason", finishReason, FINISH_REASON_MAX_BYTES), tooLong);
    }

    /** The first reason given, or null. */
    private static String first(String... reasons) {
        for (String reason : reasons) {
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static String field(String name, String value, int maxBytes) {
        if (value == null) {
            return null;
        }
        String problem = Text.problem(value, maxBytes);
        return problem == null ? null : name + " " + problem;
    }
}
