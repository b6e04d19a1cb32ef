package dev.statehouse.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A GET that {@link LeanReadFilter} may answer itself — from an answer prepared in memory, or made by
 * the same code the controller uses — once it has authenticated the caller as the security rules
 * would. A route answers only what the long way (Spring Security, MVC, the controller) would answer
 * the same, byte for byte in body and headers; for anything else it declines and the request takes
 * the long way.
 *
 * <p>Implementations: no I/O that can hang (a probe is among them; a database read is bounded as the
 * long way's is, and its failure is answered as the long way answers it), nothing that writes,
 * nothing that logs per request.
 */
public interface LeanRoute {

    /** The request path this route answers (exact: no template, no trailing slash). */
    String path();

    /**
     * The scope a caller needs, as {@link SecurityConfig} asks it of this path; null for an open path
     * (then a caller whose token has scope {@code metrics} is declined: it would see details).
     */
    String scope();

    /** The {@code uri} tag the long way gives this path in {@code http.server.requests}. */
    String metricUri();

    /**
     * Writes the answer (status, headers with {@link #securityHeaders}, body) and returns its status,
     * or returns 0 having written nothing: the request then takes the long way.
     */
    int answer(HttpServletRequest request, HttpServletResponse response) throws IOException;

    /** The headers Spring Security's defaults add to every answer of the long way (over plain HTTP). */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-XSS-Protection", "0");
        response.setHeader("X-Frame-Options", "DENY");
    }

    /** The cache headers Spring Security's defaults add to an answer of the long way that sets none. */
    static void noStoreHeaders(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
    }
}
