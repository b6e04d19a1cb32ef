/**
 * API tokens and what they may do: bearer tokens kept as SHA-256 digests only, scopes read (GET),
 * write (other methods) and metrics (actuator), board-event tickets for browser
 * {@code EventSource}s, and CORS for configured origins.
 * <p>
 * Invariants: a token is never logged and never accepted in a URL; a ticket opens one board's event
 * stream and nothing else; 401/403 are problem+json like every other error; Boot's generated user
 * and password are never created.
 * <p>
 * The lean path ({@link dev.statehouse.security.LeanReadFilter}, routes {@link dev.statehouse.security.LeanRoute}
 * in the features they answer for) authenticates by the same digests and scopes and answers only what
 * the long way would answer the same; whatever it is unsure of goes the long way, which decides.
 * <p>
 * With no token configured, what authenticates differs by engine ({@link dev.statehouse.security.UnconfiguredToken}):
 * generated on SQLite ({@code security.sqlite}), the provided token file on PostgreSQL ({@code security.postgres}).
 */
package dev.statehouse.security;
