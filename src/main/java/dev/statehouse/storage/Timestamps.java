package dev.statehouse.storage;

import java.time.Instant;

/** The database keeps epoch seconds as REAL; JSON carries ISO-8601 instants. */
public final class Timestamps {

    /**
     * 9999-12-31T23:59:59Z, the last second of four-digit years: the latest instant a client may send,
     * and the last one ISO-8601 text writes without a sign.
     */
    public static final long MAX_EPOCH_SECONDS = 253402300799L;

    private Timestamps() {
    }

    public static double toEpoch(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1_000_000_000.0;
    }

    public static Instant fromEpoch(double seconds) {
        long whole = (long) Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1_000_000) * 1_000L; // microsecond precision
        if (nanos >= 1_000_000_000L) {
            whole += 1;
            nanos -= 1_000_000_000L;
        }
        return Instant.ofEpochSecond(whole, nanos);
    }

    /** Reads a nullable REAL column value. */
    public static Instant fromEpoch(Object column) {
        if (column == null) {
            return null;
        }
        return fromEpoch(((Number) column).doubleValue());
    }
}
