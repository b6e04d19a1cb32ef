package dev.statehouse.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The known tokens, as SHA-256 digests only. With no token configured, {@link UnconfiguredToken}
 * decides: on SQLite the first start generates one, prints it once on standard output, and keeps only
 * its digest in {@code token-file} (later starts read the digest and never show the token again); on
 * PostgreSQL the token file must be provided, the same on every replica.
 */
@Component
public class TokenStore {

    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

    private final List<KnownToken> known = new ArrayList<>();

    /** Configured tokens only (tests): with none, authentication fails to start. */
    public TokenStore(AuthProperties props) {
        this(props, file -> {
            throw new IllegalStateException("no token configured");
        });
    }

    /** {@code unconfigured} decides what authenticates when no token is configured (per engine: {@link UnconfiguredToken}). */
    @Autowired
    public TokenStore(AuthProperties props, UnconfiguredToken unconfigured) {
        if (!props.enabled()) {
            log.warn("API authentication is OFF (statehouse.auth.enabled=false): anyone who reaches the port can read and write");
            return;
        }
        for (Map.Entry<String, AuthProperties.Token> e : props.tokens().entrySet()) {
            AuthProperties.Token t = e.getValue();
            byte[] digest;
            if (t.sha256() != null && !t.sha256().isBlank()) {
                digest = HexFormat.of().parseHex(t.sha256().trim().toLowerCase());
                if (digest.length != 32) {
                    throw new IllegalArgumentException("statehouse.auth.tokens." + e.getKey() + ".sha256 must be 64 hex digits");
                }
            } else if (t.token() != null && t.token().length() >= 16) {
                digest = KnownToken.sha256(t.token());
            } else {
                throw new IllegalArgumentException("statehouse.auth.tokens." + e.getKey() + " needs sha256, or a token of 16+ characters");
            }
            known.add(new KnownToken(e.getKey(), digest, scopes(e.getKey(), t.scopes())));
        }
        if (known.isEmpty()) {
            try {
                known.add(unconfigured.token(props.tokenFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the API token digest in " + props.tokenFile(), e);
            }
        }
        log.info("API authentication on: {} token(s) ({})", known.size(), known.stream().map(KnownToken::name).toList());
    }

    private static Set<String> scopes(String name, List<String> scopes) {
        for (String s : scopes) {
            if (!KnownToken.SCOPES.contains(s)) {
                throw new IllegalArgumentException("statehouse.auth.tokens." + name + ".scopes: unknown scope " + s);
            }
        }
        return Set.copyOf(scopes);
    }

    /** The token's entry, compared in constant time over every known digest, or null. */
    public KnownToken find(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return null;
        }
        byte[] digest = KnownToken.sha256(token);
        KnownToken match = null;
        for (KnownToken k : known) {
            if (MessageDigest.isEqual(k.sha256(), digest)) {
                match = k;
            }
        }
        return match;
    }

    /**
     * A secret every replica configured with the same tokens derives alike (a hash of the known
     * token digests), and random when authentication is off. It signs board-event tickets.
     */
    public byte[] ticketKey() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("statehouse event tickets v1".getBytes(StandardCharsets.US_ASCII));
            if (known.isEmpty()) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                md.update(random);
            }
            known.stream().map(k -> HexFormat.of().formatHex(k.sha256())).sorted()
                    .forEach(hex -> md.update(hex.getBytes(StandardCharsets.US_ASCII)));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
