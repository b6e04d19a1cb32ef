package dev.statehouse.sessions;

import java.time.Instant;

record NewMessage(String role, String content, String toolCallId, String toolCalls, int toolCallCount,
                  String toolName, Instant timestamp, Long tokenCount, String finishReason) {
}
