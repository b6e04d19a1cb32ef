package dev.statehouse.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The one shape of every list: {@code items} and {@code next_cursor} (null on the last page). The
 * response also carries {@code Link: <…>; rel="next"} (RFC 8288) while there is a next page.
 */
public record Page<T>(List<T> items,
                      @Schema(description = "pass as ?cursor= for the next page; null on the last page", nullable = true)
                      String nextCursor) {

    /**
     * The first {@code pageSize} of {@code rows} (fetched with one extra row to learn whether a next
     * page exists), with the cursor {@code cursorOf} gives for the last row shown.
     */
    public static <T> Page<T> of(List<T> rows, int pageSize, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= pageSize) {
            return new Page<>(rows, null);
        }
        List<T> shown = rows.subList(0, pageSize);
        return new Page<>(shown, cursorOf.apply(shown.get(pageSize - 1)));
    }
}
