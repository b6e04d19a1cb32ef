package dev.statehouse.domain;

import java.nio.charset.StandardCharsets;

/**
 * The rule every stored text keeps: no NUL characters, no lone UTF-16 surrogates (which cannot
 * be encoded as UTF-8), and at most a byte budget once encoded. Request constraints
 * ({@link CleanText}) and the few places that check text by hand share it.
 */
public final class Text {

    private Text() {
    }

    /** Why {@code text} breaks the rule, or null when it keeps it. */
    public static String problem(String text, int maxBytes) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL characters";
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    return "is not valid Unicode (a lone surrogate)";
                }
                i++;
            }
        }
        // cheap bound first: a UTF-8 encoding is at most 3 bytes per UTF-16 char
        if ((long) text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "is longer than " + maxBytes + " bytes";
        }
        return null;
    }

    /** Throws {@link DomainException.InvalidInput} naming {@code field} when {@code text} breaks the rule. */
    public static void check(String field, String text, int maxBytes) {
        String problem = problem(text, maxBytes);
        if (problem != null) {
            throw new DomainException.InvalidInput(field, problem);
        }
    }
}
