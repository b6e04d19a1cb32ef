package dev.statehouse.security.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.statehouse.security.KnownToken;
import dev.statehouse.security.UnconfiguredToken;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL (N replicas): no token is ever generated — each replica would make its own, and a
 * client's token would work on one pod only. The token file must be provided, the same on every
 * replica; otherwise the service does not start.
 */
@Component
@ConditionalOnEngine(Engine.POSTGRESQL)
public class ProvidedToken implements UnconfiguredToken {

    @Override
    public KnownToken token(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException("with PostgreSQL every replica must accept the same tokens, and a generated one "
                    + "would differ per replica: configure statehouse.auth.tokens.<name>.sha256 (or .token) and .scopes, "
                    + "or provide " + file + " on every replica (see HELP.md, 'Authentication')");
        }
        return KnownToken.stored(file);
    }
}
