/**
 * HTTP conventions every controller shares, and nothing else: strict JSON reading
 * ({@link dev.statehouse.web.JsonConfig}), RFC 9457 problems ({@link dev.statehouse.web.Problems},
 * {@link dev.statehouse.web.ProblemHandler} — the one place a domain failure gets a status),
 * pages with {@code Link} headers, {@code Location} on 201 and conditional GET
 * ({@link dev.statehouse.web.Responses}), body and parameter limits, Tomcat's connection cap,
 * the OpenAPI description.
 * <p>
 * Invariants: every error a client can see is problem+json with type, title, status, detail and
 * instance; bad input is refused before a service runs, so it writes nothing; no persistence
 * helper lives here.
 */
package dev.statehouse.web;
