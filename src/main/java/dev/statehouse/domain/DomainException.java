package dev.statehouse.domain;

/**
 * A use case that cannot be carried out, said in the domain's words. Thrown before anything is
 * written (or with the transaction that wrote rolling back); the web layer's one advice maps each
 * kind to an RFC 9457 problem, so no service or repository knows an HTTP status.
 *
 * <p>{@link #title()} is a short, stable summary of the kind of failure; the message is the
 * detail a client can act on. {@link #retryAfterSeconds()} is set where waiting helps.
 */
public abstract sealed class DomainException extends RuntimeException {

    private final String title;
    private final Integer retryAfterSeconds;

    private DomainException(String title, String detail, Integer retryAfterSeconds) {
        super(detail);
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String title() {
        return title;
    }

    /** Seconds after which a retry may succeed, or null when retrying the same request cannot help. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The request itself is malformed: a bad identifier, cursor or value. */
    public static final class InvalidInput extends DomainException {
        public InvalidInput(String detail) {
            super("Invalid request", detail, null);
        }
    }

    /** The named thing does not exist. */
    public static final class NotFound extends DomainException {
        public NotFound(String what, String id) {
            super("Not found", what + " '" + id + "' does not exist", null);
        }
    }

    /** The request contradicts the current state (exists already, wrong status, stale lock). */
    public static final class Conflict extends DomainException {
        public Conflict(String detail) {
            super("Conflict", detail, null);
        }
    }

    /** The thing existed and is gone for good. */
    public static final class Gone extends DomainException {
        public Gone(String title, String detail) {
            super(title, detail, null);
        }
    }

    /** Well-formed, but names something that cannot be used for this (a missing parent, a file that is no database). */
    public static final class Unprocessable extends DomainException {
        public Unprocessable(String detail) {
            this("Unprocessable request", detail);
        }

        public Unprocessable(String title, String detail) {
            super(title, detail, null);
        }
    }

    /** Temporarily unable (a lock held elsewhere, a limit reached); nothing changed, retry later. */
    public static final class Unavailable extends DomainException {
        public Unavailable(String title, String detail, Integer retryAfterSeconds) {
            super(title, detail, retryAfterSeconds);
        }
    }

    /** No space left on a file system the use case writes to; nothing was recorded. */
    public static final class OutOfSpace extends DomainException {
        public OutOfSpace(String detail) {
            super("Insufficient storage", detail, 30);
        }
    }

    /** A failure of the service's own (logged); the client learns only that it failed. */
    public static final class Failed extends DomainException {
        public Failed(String title, String detail) {
            super(title, detail, null);
        }
    }

    public static InvalidInput invalid(String detail) {
        return new InvalidInput(detail);
    }

    public static NotFound notFound(String what, String id) {
        return new NotFound(what, id);
    }

    public static Conflict conflict(String detail) {
        return new Conflict(detail);
    }

    public static Unprocessable unprocessable(String detail) {
        return new Unprocessable(detail);
    }
}
