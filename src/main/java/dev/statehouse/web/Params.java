package dev.statehouse.web;

/** Query-parameter checks shared by list endpoints. */
public final class Params {

    private Params() {
    }

    public static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) {
            return defaultLimit;
        }
        if (requested < 1 || requested > max) {
            throw ApiException.badRequest("limit must be between 1 and " + max);
        }
        return requested;
    }

    /** A short free-text filter value: NUL-free, at most 256 bytes; blank means no filter. */
    public static String filter(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        JsonBody.checkText(name, value, 256);
        return value;
    }
}
