package dev.statehouse.sessions;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Cursor;

/**
 * What a sidebar request asks for: the filter, the page size, and the cursor (as sent, and decoded).
 * The controller builds it from MVC's validated parameters; {@link #parseStrict} builds it from a raw
 * query string for the lean path, only when the string is one whose meaning cannot differ from what
 * MVC would bind and validate.
 */
record SidebarQuery(SidebarFilter filter, int limit, String cursor, Cursor after) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** The key of this page in {@link SidebarCache}: the same for every spelling of the same question. */
    String cacheKey() {
        return filter + "\u0000" + limit + "\u0000" + cursor;
    }

    /**
     * The query a raw query string asks, or null when it is not plainly one MVC would bind to the same
     * values and accept: only the controller's parameter names, each at most once, with a value in a
     * narrow spelling — {@code limit} 1–200 in decimal without a leading zero, the flags exactly
     * {@code true} or {@code false}, {@code project} an id, {@code source} 1–64 of
     * {@code [A-Za-z0-9._:-]}, {@code cursor} base64url that decodes. Nothing percent-encoded, nothing
     * empty, no other parameter. A null answer costs nothing but the long way, which judges the rest
     * (its 400s included).
     */
    static SidebarQuery parseStrict(String query) {
        String source = null;
        String project = null;
        String cursor = null;
        Boolean archived = null;
        Boolean empty = null;
        Boolean background = null;
        int limit = -1;
        if (query != null && !query.isEmpty()) {
            int start = 0;
            while (start <= query.length()) {
                int end = query.indexOf('&', start);
                if (end < 0) {
                    end = query.length();
                }
                int eq = query.indexOf('=', start);
                if (eq < 0 || eq >= end - 1) {
                    return null; // no value, or an empty one
                }
                String name = query.substring(start, eq);
                String value = query.substring(eq + 1, end);
                switch (name) {
                    case "limit" -> {
                        if (limit >= 0 || (limit = limit(value)) < 0) {
                            return null;
                        }
                    }
                    case "source" -> {
                        if (source != null || !plain(value, 64, true)) {
                            return null;
                        }
                        source = value;
                    }
                    case "project" -> {
                        if (project != null || !Ids.ID.matcher(value).matches()) {
                            return null;
                        }
                        project = value;
                    }
                    case "cursor" -> {
                        if (cursor != null || !plain(value, 200, false)) {
                            return null;
                        }
                        cursor = value;
                    }
                    case "include_archived" -> {
                        if (archived != null || (archived = flag(value)) == null) {
                            return null;
                        }
                    }
                    case "include_empty" -> {
                        if (empty != null || (empty = flag(value)) == null) {
                            return null;
                        }
                    }
                    case "include_background" -> {
                        if (background != null || (background = flag(value)) == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                start = end + 1;
            }
        }
        Cursor after;
        try {
            after = Cursor.decode(cursor);
        } catch (DomainException e) {
            return null;
        }
        SidebarFilter filter = new SidebarFilter(source, project, Boolean.TRUE.equals(archived), Boolean.TRUE.equals(empty),
                Boolean.TRUE.equals(background));
        return new SidebarQuery(filter, limit < 0 ? DEFAULT_LIMIT : limit, cursor, after);
    }

    /** 1–200 in plain decimal, or -1. */
    private static int limit(String value) {
        if (value.length() > 3 || value.charAt(0) == '0') {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= MAX_LIMIT ? n : -1;
    }

    private static Boolean flag(String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** At most {@code max} of {@code [A-Za-z0-9_-]}, and {@code .} and {@code :} when {@code dotted}. */
    private static boolean plain(String value, int max, boolean dotted) {
        if (value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || (dotted && (c == '.' || c == ':'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
