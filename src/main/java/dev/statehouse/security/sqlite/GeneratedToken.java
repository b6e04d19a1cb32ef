package dev.statehouse.security.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import dev.statehouse.security.KnownToken;
import dev.statehouse.security.KnownToken;
import dev.statehouse.security.UnconfiguredToken;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Component;

/**
 * SQLite: one process owns the data, so with no token configured the first start generates one,
 * prints it once on standard output, and keeps only its SHA-256 in the token file (owner-only); later
 * starts read the digest and never show the token again.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class GeneratedToken implements UnconfiguredToken {

    @Override
    public KnownToken token(Path file) throws IOException {
        if (Files.exists(file)) {
            return KnownToken.stored(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "sh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        byte[] digest = KnownToken.sha256(token);
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
        return new KnownToken("generated", digest, KnownToken.SCOPES);
    }
}
