package dev.statehouse.domain;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON text kept in the database and emitted into responses as it is (a raw value): it must be
 * exactly one well-formed JSON value there, or the whole response would not parse. The API only
 * stores what it parsed itself, but rows can come from elsewhere — an import, a restored backup,
 * another process writing the file — so text that is not one JSON value is emitted as a JSON
 * string holding it (escaped: NUL and control characters included) instead of raw.
 */
public final class StoredJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoredJson() {
    }

    /** Whether {@code text} is exactly one well-formed JSON value (nothing before or after it). */
    public static boolean isJson(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (JacksonException e) {
            return false;
        }
    }

    /** {@code text} as it is when it is one JSON value, else as a JSON string that holds it; null stays null. */
    public static String asRawValue(String text) {
        if (text == null || isJson(text)) {
            return text;
        }
        return quote(text);
    }

    /** {@code text} as a JSON string literal. */
    public static String quote(String text) {
        return JSON.writeValueAsString(text);
    }
}
