package dev.statehouse.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API tokens. Each named token is given either as its SHA-256 ({@code sha256}, hex — how it should
 * be kept at rest) or in plain ({@code token}, hashed at start and never logged), with scopes
 * among {@code read}, {@code write}, {@code metrics}.
 *
 * @param enabled   false turns authentication off (only for a trusted, local-only setup)
 * @param tokens    the configured tokens by name
 * @param tokenFile where the token generated on first start keeps its hash, when no token is configured
 * @param eventTicketTtl how long a board-event ticket ({@code POST /api/boards/{slug}/events/tickets})
 *                       may be used to open (or reopen) the board's event stream
 */
@ConfigurationProperties("statehouse.auth")
public record AuthProperties(
        @DefaultValue("true") boolean enabled,
        Map<String, Token> tokens,
        @DefaultValue("./data/api-token.sha256") Path tokenFile,
        @DefaultValue("5m") java.time.Duration eventTicketTtl) {

    public record Token(String sha256, String token, @DefaultValue({"read", "write"}) List<String> scopes) {
    }

    public Map<String, Token> tokens() {
        return tokens == null ? Map.of() : tokens;
    }
}
