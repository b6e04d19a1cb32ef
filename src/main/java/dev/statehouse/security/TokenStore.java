package dev.statehouse.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import dev.statehouse.storage.Engine;
import org.springframework.beans.factory.annotation.Autowired;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The known tokens, as SHA-256 digests only. With no token configured, the first start generates
 * one, prints it once on standard output, and keeps only its digest in {@code token-file}; later
 * starts read the digest and never show the token again.
 */
@Component
public class TokenStore {

    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);
    static final Set<String> SCOPES = Set.of("read", "write", "metrics");

    /** A known token: its name, digest and scopes. */
    public record Known(String name, byte[] sha256, Set<String> scopes) {
    }

    private final List<Known> known = new ArrayList<>();

    public TokenStore(AuthProperties props) {
        this(props, Engine.SQLITE);
    }

    /**
     * On PostgreSQL (N replicas) no token is ever generated: each replica would make its own and
     * a client's token would work on one pod only. Tokens must be configured, or the token file
     * provided (the same on every replica); otherwise the service does not start.
     */
    @Autowired
    public TokenStore(AuthProperties props, Engine engine) {
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
                digest = sha256(t.token());
            } else {
                throw new IllegalArgumentException("statehouse.auth.tokens." + e.getKey() + " needs sha256, or a token of 16+ characters");
            }
            known.add(new Known(e.getKey(), digest, scopes(e.getKey(), t.scopes())));
        }
        if (known.isEmpty()) {
            if (engine == Engine.POSTGRESQL && !Files.exists(props.tokenFile())) {
                throw new IllegalStateException("with PostgreSQL every replica must accept the same tokens, and a generated one "
                        + "would differ per replica: configure statehouse.auth.tokens.<name>.sha256 (or .token) and .scopes, "
                        + "or provide " + props.tokenFile() + " on every replica (see HELP.md, 'Authentication')");
            }
            known.add(generatedOrStored(props.tokenFile()));
        }
        log.info("API authentication on: {} token(s) ({})", known.size(), known.stream().map(Known::name).toList());
    }

    private static Set<String> scopes(String name, List<String> scopes) {
        for (String s : scopes) {
            if (!SCOPES.contains(s)) {
                throw new IllegalArgumentException("statehouse.auth.tokens." + name + ".scopes: unknown scope " + s);
            }
        }
        return Set.copyOf(scopes);
    }

    private static Known generatedOrStored(Path file) {
        try {
            if (Files.exists(file)) {
                String[] parts = Files.readString(file).trim().split("\\s+");
                log.info("API token: using the digest kept in {} (the token itself was shown once, on first start)", file);
                return new Known("generated", HexFormat.of().parseHex(parts[0]), Set.of("read", "write", "metrics"));
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "sh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            byte[] digest = sha256(token);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, HexFormat.of().formatHex(digest) + " read,write,metrics\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            // printed, not logged: it must not end up in log files, and it is never shown again
            System.out.println();
            System.out.println("Statehouse API token (shown once; only its SHA-256 is kept in " + file + "):");
            System.out.println("    " + token);
            System.out.println("Send it as: Authorization: Bearer <token>");
            System.out.println();
            System.out.flush();
            return new Known("generated", digest, Set.of("read", "write", "metrics"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the API token digest in " + file, e);
        }
    }

    /** The token's entry, compared in constant time over every known digest, or null. */
    public Known find(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return null;
        }
        byte[] digest = sha256(token);
        Known match = null;
        for (Known k : known) {
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

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
