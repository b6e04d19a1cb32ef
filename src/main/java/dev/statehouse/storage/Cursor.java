package dev.statehouse.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.Ids;

/**
 * Opaque keyset cursor for lists sorted by a REAL sort key (a timestamp), then id: the position
 * of the last row of a page.
 * Encoded as base64url of {@code v1|<double bits as hex>|<id>}.
 */
public record Cursor(double key, String id) {

    public String encode() {
        String raw = "v1|" + Long.toHexString(Double.doubleToLongBits(key)) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (token.length() > 200) {
            throw new DomainException.InvalidInput("cursor", "is malformed");
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", -1);
            if (parts.length != 3 || !parts[0].equals("v1") || !Ids.ID.matcher(parts[2]).matches()) {
                throw new DomainException.InvalidInput("cursor", "is malformed");
            }
            double key = Double.longBitsToDouble(Long.parseUnsignedLong(parts[1], 16));
            if (!Double.isFinite(key)) {
                throw new DomainException.InvalidInput("cursor", "is malformed");
            }
            return new Cursor(key, parts[2]);
        } catch (IllegalArgumentException e) {
            throw new DomainException.InvalidInput("cursor", "is malformed");
        }
    }
}
