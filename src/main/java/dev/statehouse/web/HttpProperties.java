package dev.statehouse.web;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.http.*}, validated once at start.
 *
 * @param maxBodyBytes       largest request body accepted (413 beyond)
 * @param maxQueryParameters most query parameters a request may carry (400 beyond)
 * @param maxConnections     client connections Tomcat accepts at once; -1 derives it from the soft
 *                           descriptor limit less {@code fdReserve}
 * @param fdReserve          descriptors kept free of client connections when the cap is derived
 * @param cors               cross-origin access for browser clients; off while no origin is listed
 * @param leanReads          answer the polled reads (a sidebar page in a query spelling read exactly,
 *                           made or already sent, its 304; the anonymous liveness probe)
 *                           right after authentication, without Spring Security's and MVC's
 *                           per-request machinery; {@code false} sends every request the long way
 * @param writeBufferBytes   the connector's socket write buffer per connection: a response is written
 *                           to the socket in pieces of at most this size, one system call each (a
 *                           default sidebar page, ~26 KB, in one instead of four); every open
 *                           connection holds it (and an 8 KB read buffer) on the heap
 */
@Validated
@ConfigurationProperties("statehouse.http")
public record HttpProperties(
        @Min(1024) @DefaultValue("2097152") long maxBodyBytes,
        @Min(1) @Max(10_000) @DefaultValue("64") int maxQueryParameters,
        @Min(-1) @DefaultValue("-1") int maxConnections,
        @Min(0) @DefaultValue("64") int fdReserve,
        @Valid @NotNull @DefaultValue Cors cors,
        @DefaultValue("true") boolean leanReads,
        @Min(8192) @Max(1_048_576) @DefaultValue("32768") int writeBufferBytes) {

    /**
     * @param allowedOrigins origins allowed to call the API from a browser (exact, e.g. {@code https://ui.example.com}); empty: CORS off
     * @param allowedMethods methods a cross-origin request may use
     * @param allowedHeaders request headers a cross-origin request may send
     * @param exposedHeaders response headers a browser script may read
     * @param maxAge         how long a browser may cache a preflight answer
     */
    public record Cors(
            @NotNull @DefaultValue({}) List<String> allowedOrigins,
            @NotNull @DefaultValue({"GET", "POST", "PATCH", "DELETE"}) List<String> allowedMethods,
            @NotNull @DefaultValue({"Authorization", "Content-Type", "If-None-Match", "Last-Event-ID"}) List<String> allowedHeaders,
            @NotNull @DefaultValue({"ETag", "Link", "Location", "Retry-After"}) List<String> exposedHeaders,
            @NotNull @DefaultValue("30m") Duration maxAge) {
    }
}
