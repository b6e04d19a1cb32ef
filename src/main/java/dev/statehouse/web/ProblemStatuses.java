package dev.statehouse.web;

import dev.statehouse.domain.ErrorKind;
import org.springframework.http.HttpStatus;

/** The one HTTP status of each kind of failure: what the handler answers and what the OpenAPI document lists. */
public final class ProblemStatuses {

    private ProblemStatuses() {
    }

    public static HttpStatus of(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, MALFORMED_BODY, REQUEST_REJECTED -> HttpStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case MISSING_SCOPE -> HttpStatus.FORBIDDEN;
            case NOT_FOUND, UNKNOWN_PATH -> HttpStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case BODY_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case METHOD_NOT_IMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case ALREADY_EXISTS, LEASE_LOST, NOT_RUNNING, LOCK_REQUIRED, INVALID_TRANSITION, PARENTS_NOT_DONE, DEPENDENCY_CYCLE,
                 CONCURRENT_CHANGE, PLAN_NOT_ACTIVE, BOARD_ARCHIVED, BACKUP_RUNNING -> HttpStatus.CONFLICT;
            case SNAPSHOT_MISSING -> HttpStatus.GONE;
            case UNKNOWN_REFERENCE, CONTRADICTS_STATE, NOT_A_DATABASE, NOT_A_RESOURCE, RESOURCE_TOO_LARGE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case DATABASE_BUSY, DATABASE_UNAVAILABLE, RESOURCE_BUSY, TOO_MANY_WATCHERS, SHUTTING_DOWN, OUT_OF_DESCRIPTORS ->
                    HttpStatus.SERVICE_UNAVAILABLE;
            case DISK_FULL -> HttpStatus.INSUFFICIENT_STORAGE;
            case DATABASE_ERROR, RESOURCE_ERROR, INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
