package dev.statehouse.domain;

import java.net.URI;

/**
 * Every kind of failure a client can get, each with a stable name a program can branch on and one
 * title. The web layer sends the kind as the RFC 9457 problem's {@code type}
 * ({@link #BASE} + {@link #slug()}) and its {@link #title()} as the problem's title; HELP.md lists
 * them all (a test keeps the list and this enum equal).
 *
 * <p>A kind's slug and title never change once published: clients compare {@code type}. Add a new
 * kind rather than reuse one whose meaning differs.
 */
public enum ErrorKind {

    // 400
    INVALID_REQUEST("invalid-request", "Invalid request"),
    MALFORMED_BODY("malformed-body", "Malformed request body"),
    /** Refused before it reached the service: a URL the firewall rejects, a request line or headers too large. */
    REQUEST_REJECTED("request-rejected", "Request rejected"),
    // 401, 403
    UNAUTHORIZED("unauthorized", "Unauthorized"),
    MISSING_SCOPE("missing-scope", "Missing scope"),
    // 404
    NOT_FOUND("not-found", "Not found"),
    UNKNOWN_PATH("unknown-path", "Unknown path"),
    // 405, 406, 413, 415, 501
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable"),
    BODY_TOO_LARGE("body-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type"),
    METHOD_NOT_IMPLEMENTED("method-not-implemented", "Method not implemented"),
    // 409
    ALREADY_EXISTS("already-exists", "Already exists"),
    LEASE_LOST("lease-lost", "Lease lost"),
    NOT_RUNNING("not-running", "Task not running"),
    LOCK_REQUIRED("lock-required", "Claim lock required"),
    INVALID_TRANSITION("invalid-transition", "Invalid transition"),
    PARENTS_NOT_DONE("parents-not-done", "Parents not done"),
    DEPENDENCY_CYCLE("dependency-cycle", "Dependency cycle"),
    CONCURRENT_CHANGE("concurrent-change", "Concurrent change"),
    PLAN_NOT_ACTIVE("plan-not-active", "Plan not active"),
    BOARD_ARCHIVED("board-archived", "Board archived"),
    BACKUP_RUNNING("backup-running", "Backup running"),
    // 410
    SNAPSHOT_MISSING("snapshot-missing", "Snapshot missing"),
    // 422
    UNKNOWN_REFERENCE("unknown-reference", "Unknown reference"),
    /** Well-formed, but contradicts what is stored (a session's {@code ended_at} before its start). */
    CONTRADICTS_STATE("contradicts-state", "Contradicts stored state"),
    NOT_A_DATABASE("not-a-database", "Not a database"),
    NOT_A_RESOURCE("not-a-resource", "Not a resource"),
    RESOURCE_TOO_LARGE("resource-too-large", "Resource too large"),
    // 503
    DATABASE_BUSY("database-busy", "Database busy"),
    DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable"),
    RESOURCE_BUSY("resource-busy", "Resource busy"),
    TOO_MANY_WATCHERS("too-many-watchers", "Too many watchers"),
    SHUTTING_DOWN("shutting-down", "Shutting down"),
    OUT_OF_DESCRIPTORS("out-of-descriptors", "Out of file descriptors"),
    // 507
    DISK_FULL("disk-full", "Insufficient storage"),
    // 500
    DATABASE_ERROR("database-error", "Database error"),
    RESOURCE_ERROR("resource-error", "Resource error"),
    INTERNAL_ERROR("internal-error", "Internal error");

    /** Where every kind's {@code type} URI starts; HELP.md ("Problem types") documents each one. */
    public static final String BASE = "https://statehouse.dev/problems/";

    private final String slug;
    private final String title;
    private final URI type;

    ErrorKind(String slug, String title) {
        this.slug = slug;
        this.title = title;
        this.type = URI.create(BASE + slug);
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** The problem's {@code type}: {@link #BASE} followed by the slug. */
    public URI type() {
        return type;
    }
}
