package dev.statehouse.sessions;

import java.time.Instant;

record NewSession(String id, String source, String userId, String model, String title,
                  String projectId, String parentSessionId, Instant startedAt) {
}
