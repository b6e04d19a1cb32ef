package dev.statehouse.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Identifier rules shared by every resource: {@code [A-Za-z0-9_-]{1,64}}. */
public final class Ids {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** Validates an identifier from a path or body; 400 when malformed. */
    public static String require(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiException.badRequest(what + " must match [A-Za-z0-9_-]{1,64}");
        }
        return id;
    }

    /** A new random identifier: {@code prefix} followed by {@code bytes} random bytes in hex. */
    public static String random(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
