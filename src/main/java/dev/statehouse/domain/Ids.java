package dev.statehouse.domain;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Identifier rules shared by every resource: {@code [A-Za-z0-9_-]{1,64}}. */
public final class Ids {

    /** The rule as a regular expression, for {@code @Pattern(regexp = Ids.REGEX)}. */
    public static final String REGEX = "[A-Za-z0-9_-]{1,64}";
    public static final Pattern ID = Pattern.compile(REGEX);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }


    /** A new random identifier: {@code prefix} followed by {@code bytes} random bytes in hex. */
    public static String random(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
