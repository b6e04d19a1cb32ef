package dev.statehouse.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Short-lived, read-only tickets that let a browser's {@code EventSource} (which cannot send an
 * {@code Authorization} header) open one board's event stream: {@code ?ticket=…} on
 * {@code GET /api/boards/{slug}/events} and nowhere else. A ticket names its board and its expiry
 * and is signed (HMAC-SHA256) with {@link TokenStore#ticketKey()}, so any replica with the same
 * tokens accepts it and nothing is stored. It may be used until it expires (an {@code EventSource}
 * reconnects with the same URL); the long-lived API token never appears in a URL.
 */
@Component
public class EventTickets {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public EventTickets(TokenStore tokens, AuthProperties props, Clock clock) {
        this.key = new SecretKeySpec(tokens.ticketKey(), "HmacSHA256");
        this.ttl = props.eventTicketTtl();
        this.clock = clock;
    }

    /** A ticket and when it stops opening streams. */
    public record Ticket(String ticket, Instant expiresAt) {
    }

    public Ticket issue(String board) {
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] nonce = new byte[9];
        random.nextBytes(nonce);
        String payload = "t1." + board + "." + expires.getEpochSecond() + "." + HexFormat.of().formatHex(nonce);
        return new Ticket(B64.encodeToString(payload.getBytes(StandardCharsets.US_ASCII)) + "." + sign(payload), expires);
    }

    /** True when {@code ticket} was issued here (or by a replica with the same tokens) for {@code board} and has not expired. */
    public boolean valid(String ticket, String board) {
        if (ticket == null || ticket.length() > 300) {
            return false;
        }
        int dot = ticket.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(ticket.substring(0, dot)), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, ticket.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        String[] parts = payload.split("\\.");
        if (parts.length != 4 || !parts[0].equals("t1") || !parts[1].equals(board)) {
            return false;
        }
        try {
            return clock.instant().getEpochSecond() < Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
