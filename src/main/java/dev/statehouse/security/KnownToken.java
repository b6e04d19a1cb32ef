package dev.statehouse.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A known token: its name, its SHA-256 digest (the token itself is never kept) and its scopes. */
public record KnownToken(String name, byte[] sha256, Set<String> scopes) {

    private static final Logger log = LoggerFactory.getLogger(KnownToken.class);

    /** Every scope; a token that was not configured (generated, or its digest in the token file) has them all. */
    public static final Set<String> SCOPES = Set.of("read", "write", "metrics");

    /** The digest kept in {@code file} (written on the first start that generated a token), with every scope. */
    public static KnownToken stored(Path file) throws IOException {
        String[] parts = Files.readString(file).trim().split("\\s+");
        log.info("API token: using the digest kept in {} (the token itself was shown once, on first start)", file);
        return new KnownToken("generated", HexFormat.of().parseHex(parts[0]), SCOPES);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
