package dev.statehouse.domain;

/**
 * A use case that cannot be carried out, said in the domain's words. Thrown before anything is
 * written (or with the transaction that wrote rolling back); the web layer's one advice maps each
 * kind to an RFC 9457 problem, so no service or repository knows an HTTP status.
 *
 * <p>{@link #kind()} is the stable kind of failure a client can branch on (its title is the
 * problem's title); the message is the detail a client can act on. {@link #retryAfterSeconds()} is set where waiting helps.
 */
public abstract sealed class DomainException extends RuntimeException {

    private final ErrorKind kind;
    private final Integer retryAfterSeconds;

    private DomainException(ErrorKind kind, String detail, Integer retryAfterSeconds) {
        super(detail);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** What kind of failure this is: the problem's stable {@code type} and title. */
    public ErrorKind kind() {
        return kind;
    }

    public String title() {
        return kind.title();
    }

    /** Seconds after which a retry may succeed, or null when retrying the same request cannot help. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The request itself is malformed: a bad identifier, cursor or value ({@link #field()} names it, when one field is to blame). */
    public static final class InvalidInput extends DomainException {
        private final String field;
        private final String problem;

        public InvalidInput(String detail) {
            super(ErrorKind.INVALID_REQUEST, detail, null);
            this.field = null;
            this.problem = detail;
        }

        /** {@code field} (the client's name for it) breaks a rule, said by {@code problem} ("must not be blank"). */
        public InvalidInput(String field, String problem) {
            super(ErrorKind.INVALID_REQUEST, "field '" + field + "' " + problem, null);
            this.field = field;
            this.problem = problem;
        }

        /** The field to blame, or null when the request as a whole is (a cursor, a header). */
        public String field() {
            return field;
        }

        /** What is wrong, without the field's name. */
        public String problem() {
            return problem;
        }
    }

    /** The named thing does not exist. */
    public static final class NotFound extends DomainException {
        public NotFound(String what, String id) {
            super(ErrorKind.NOT_FOUND, what + " '" + id + "' does not exist", null);
        }
    }

    /** The request contradicts the current state (exists already, wrong status, stale lock); {@code kind} says which. */
    public static final class Conflict extends DomainException {
        public Conflict(ErrorKind kind, String detail) {
            super(kind, detail, null);
        }
    }

    /** The thing existed and is gone for good. */
    public static final class Gone extends DomainException {
        public Gone(ErrorKind kind, String detail) {
            super(kind, detail, null);
        }
    }

    /** Well-formed, but names something that cannot be used for this (a missing parent, a file that is no database). */
    public static final class Unprocessable extends DomainException {
        public Unprocessable(ErrorKind kind, String detail) {
            super(kind, detail, null);
        }
    }

    /** Temporarily unable (a lock held elsewhere, a limit reached); nothing changed, retry later. */
    public static final class Unavailable extends DomainException {
        public Unavailable(ErrorKind kind, String detail, Integer retryAfterSeconds) {
            super(kind, detail, retryAfterSeconds);
        }
    }

    /** No space left on a file system the use case writes to; nothing was recorded. */
    public static final class OutOfSpace extends DomainException {
        public OutOfSpace(String detail) {
            super(ErrorKind.DISK_FULL, detail, 30);
        }
    }

    /** A failure of the service's own (logged); the client learns only that it failed. */
    public static final class Failed extends DomainException {
        public Failed(ErrorKind kind, String detail) {
            super(kind, detail, null);
        }
    }

    public static InvalidInput invalid(String detail) {
        return new InvalidInput(detail);
    }

    public static NotFound notFound(String what, String id) {
        return new NotFound(what, id);
    }

    public static Conflict conflict(ErrorKind kind, String detail) {
        return new Conflict(kind, detail);
    }

    /** A reference in the request (a parent, a project) that does not exist or cannot be used here. */
    public static Unprocessable unknownReference(String detail) {
        return new Unprocessable(ErrorKind.UNKNOWN_REFERENCE, detail);
    }
}
