package dev.statehouse.projects;

import java.time.Instant;

public record Project(String id, String name, String color, Instant createdAt, long sessionCount) {
}
