package dev.statehouse.security;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What authenticates when no token is configured, which depends on how many processes share the
 * data: one implementation per engine ({@code security.sqlite}, {@code security.postgres}). Called once,
 * at start, with {@code statehouse.auth.token-file}; it returns the token's entry or throws, and the
 * service does not start.
 */
public interface UnconfiguredToken {

    KnownToken token(Path tokenFile) throws IOException;
}
