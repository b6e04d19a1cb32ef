package dev.statehouse.sessions;

import java.time.Instant;

/** What a PATCH asks to change; a {@code set*} flag tells "set to null" from "leave alone". */
record SessionPatch(
        boolean setTitle, String title,
        boolean setProject, String projectId,
        Boolean pinned,
        Boolean archived,
        String endReason, Instant endedAt) {
}
