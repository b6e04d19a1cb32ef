package dev.statehouse.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Strict reader over a JSON request body. Controllers take the body as a tree and read each field
 * through here, so a wrong type, an unknown field, an oversize string or a NUL byte becomes a 400
 * problem before any repository is called. Absent and {@code null} are told apart, which PATCH needs.
 */
public final class JsonBody {

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** Wraps a body that must be a JSON object holding only the named fields. */
    public static JsonBody of(JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return new JsonBody(node);
    }

    /** True when the field is present, even as {@code null}. */
    public boolean has(String field) {
        return node.has(field);
    }

    /** True when the field is present and {@code null}. */
    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    public JsonNode raw(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A string of at most {@code maxBytes} UTF-8 bytes, or null when absent/null and not required. */
    public String text(String field, int maxBytes, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("field '" + field + "' is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        String text = value.stringValue();
        checkText(field, text, maxBytes);
        if (required && text.isBlank()) {
            throw ApiException.badRequest("field '" + field + "' must not be blank");
        }
        return text;
    }

    /** Like {@link #text} and the value must also match {@code pattern}. */
    public String matching(String field, Pattern pattern, String rule, boolean required) {
        String text = text(field, 1024, required);
        if (text != null && !pattern.matcher(text).matches()) {
            throw ApiException.badRequest("field '" + field + "' must match " + rule);
        }
        return text;
    }

    /** An identifier field ({@code [A-Za-z0-9_-]{1,64}}). */
    public String id(String field, boolean required) {
        return matching(field, Ids.ID, "[A-Za-z0-9_-]{1,64}", required);
    }

    public Long integer(String field, long min, long max, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("field '" + field + "' is required");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.badRequest("field '" + field + "' must be an integer");
        }
        long v = value.longValue();
        if (v < min || v > max) {
            throw ApiException.badRequest("field '" + field + "' must be between " + min + " and " + max);
        }
        return v;
    }

    public Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** An instant given as an ISO-8601 string or as epoch seconds. */
    public Instant instant(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            double seconds = value.doubleValue();
            if (!Double.isFinite(seconds) || seconds < 0 || seconds > 253402300799d) {
                throw ApiException.badRequest("field '" + field + "' is out of range");
            }
            return Timestamps.fromEpoch(seconds);
        }
        if (value.isString()) {
            try {
                Instant parsed = Instant.parse(value.stringValue());
                if (parsed.isBefore(Instant.EPOCH) || parsed.getEpochSecond() > 253402300799L) {
                    throw ApiException.badRequest("field '" + field + "' is out of range");
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("field '" + field + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        throw ApiException.badRequest("field '" + field + "' must be an ISO-8601 string or epoch seconds");
    }

    /** Rejects NUL characters and text over the byte budget; shared with query parameters. */
    public static void checkText(String field, String text, int maxBytes) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw ApiException.badRequest("field '" + field + "' must not contain NUL characters");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    throw ApiException.badRequest("field '" + field + "' is not valid Unicode (a lone surrogate)");
                }
                i++;
            }
        }
        // cheap bound first: a UTF-8 encoding is at most 3 bytes per UTF-16 char
        if ((long) text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw ApiException.badRequest("field '" + field + "' is longer than " + maxBytes + " bytes");
        }
    }
}
