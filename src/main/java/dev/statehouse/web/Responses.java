package dev.statehouse.web;

import java.net.URI;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.WebRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The HTTP conventions every controller shares: 201 with Location, pages with Link, conditional GET. */
public final class Responses {

    private Responses() {
    }

    /**
     * 201 Created with {@code Location} set to {@code path} under the context root, as a relative
     * reference (RFC 9110 §10.2.2): right behind any proxy, and no URL parsing per request.
     */
    public static <T> ResponseEntity<T> created(String path, T body) {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create(request.getContextPath() + path)).body(body);
    }

    /** 200 with the page, {@code Link: <this URL with cursor=next>; rel="next"} while there is a next page. */
    public static <T> ResponseEntity<Page<T>> page(Page<T> page) {
        return withNextLink(ResponseEntity.ok(), page.nextCursor()).body(page);
    }

    /** {@link #page}, for a page sent with an ETag ({@link #notModified}): clients keep it and revalidate. */
    public static <T> ResponseEntity<Page<T>> revalidatedPage(Page<T> page) {
        return withNextLink(ResponseEntity.ok(), page.nextCursor()).cacheControl(REVALIDATE).body(page);
    }

    /**
     * Adds the RFC 8288 next link for {@code nextCursor} (none when null): this request's path and
     * query with {@code cursor} replaced, as a relative reference (the same bytes whatever Host the
     * client used, and no URL parsing on the hot path).
     */
    public static ResponseEntity.BodyBuilder withNextLink(ResponseEntity.BodyBuilder builder, String nextCursor) {
        if (nextCursor != null) {
            HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
            builder.header(HttpHeaders.LINK, nextLinkHeader(request.getRequestURI(), request.getQueryString(), nextCursor));
        }
        return builder;
    }

    /**
     * The {@code Link} header {@link #withNextLink} gives a request for {@code path} with the raw
     * {@code query} (null for none), or null when there is no next page: for code that answers
     * outside MVC (the lean path), where no request is bound to the thread.
     */
    public static String nextLinkHeader(String path, String query, String nextCursor) {
        return nextCursor == null ? null : "<" + nextLink(path, query, nextCursor) + ">; rel=\"next\"";
    }

    private static String nextLink(String path, String query, String nextCursor) {
        StringBuilder link = new StringBuilder(path).append('?');
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.startsWith("cursor=") && !part.equals("cursor")) {
                    link.append(part).append('&');
                }
            }
        }
        // cursors are base64url or digits: nothing to escape
        return link.append("cursor=").append(nextCursor).toString();
    }

    /**
     * The strong ETag of a representation derived from data {@code version}:
     * {@code "scope-version-selection"}, where the selection is a 64-bit hash of this request's path
     * and query (the page, its filters, its limit, its cursor): responses to two different URLs never
     * share an ETag, so one can never validate the other. Every response to a GET of the same URL
     * with the same version has the same bytes.
     */
    public static String etag(String scope, String version) {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        return etag(scope, version, request.getRequestURI(), request.getQueryString());
    }

    /** {@link #etag(String, String)} of a request for {@code path} with the raw {@code query} (null for none). */
    public static String etag(String scope, String version, String path, String query) {
        return "\"" + scope + "-" + version + "-" + Long.toHexString(selection(path, query)) + "\"";
    }

    /** FNV-1a (64 bits) of the path, a '?' and the query (none: the path alone). */
    static long selection(String path, String query) {
        long hash = 0xcbf29ce484222325L;
        hash = fnv(hash, path);
        if (query != null) {
            hash = fnv((hash ^ '?') * 0x100000001b3L, query);
        }
        return hash;
    }

    private static long fnv(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    /**
     * True (and the 304 prepared: the handler returns null, no body) when the client's
     * {@code If-None-Match} holds {@code etag}; either way the response carries {@code ETag}. The
     * 200 that follows sets {@link #REVALIDATE}.
     */
    public static boolean notModified(WebRequest request, String etag) {
        return request.checkNotModified(etag);
    }

    /** {@code Cache-Control} for a response that carries an ETag: clients keep it and revalidate every time. */
    public static final CacheControl REVALIDATE = CacheControl.noCache();
}
