package dev.statehouse.sessions;

import java.io.IOException;

import dev.statehouse.security.LeanRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * The sidebar on the lean path: a query the controller answered at the data version that is still
 * current gets the same page again ({@link SidebarCache.Prepared}: same bytes, {@code ETag},
 * {@code Link}, {@code Cache-Control}), or 304 when {@code If-None-Match} holds its ETag. Any other
 * query that {@link SidebarQuery#parseStrict} reads exactly (the usual polls: a limit, a cursor, the
 * flags, a project or a plain source), and a page whose version moved on, is answered here too, made
 * by {@link SidebarPages} — the controller's own way, so the bytes and headers are the same — or its
 * 304 without making the page. The version is read as the controller reads it, so a client still
 * reads its own writes and every replica's on PostgreSQL. Declined (the long way answers): a query
 * the strict reading does not take (the long way binds, validates and may answer 400), an
 * {@code Accept} that is not plainly JSON, and {@code If-None-Match: *}, {@code If-Match} or
 * {@code If-Unmodified-Since}.
 */
@Component
class SidebarLeanRoute implements LeanRoute {

    private final SidebarCache cache;
    private final SidebarPages pages;

    SidebarLeanRoute(SidebarCache cache, SidebarPages pages) {
        this.cache = cache;
        this.pages = pages;
    }

    @Override
    public String path() {
        return "/api/sessions";
    }

    @Override
    public String scope() {
        return "read";
    }

    @Override
    public String metricUri() {
        return "/api/sessions";
    }

    @Override
    public int answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (!acceptsJson(request.getHeader("Accept")) || "*".equals(ifNoneMatch == null ? null : ifNoneMatch.trim())
                || request.getHeader("If-Match") != null || request.getHeader("If-Unmodified-Since") != null) {
            return 0;
        }
        String query = request.getQueryString();
        SidebarCache.Prepared prepared = cache.prepared(query);
        // read before the version, so a query the long way must judge costs no database read here
        SidebarQuery asked = prepared == null ? SidebarQuery.parseStrict(query) : null;
        if (prepared == null && asked == null) {
            return 0;
        }
        String version = pages.version();
        boolean current = prepared != null && prepared.version().equals(version);
        if (!current && asked == null && (asked = SidebarQuery.parseStrict(query)) == null) {
            return 0;
        }
        String etag = current ? prepared.etag() : pages.etag(version, request.getRequestURI(), query);
        LeanRoute.securityHeaders(response);
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return HttpServletResponse.SC_NOT_MODIFIED;
        }
        if (!current) { // a failure here is answered by LeanReadFilter, which resets these headers first
            prepared = pages.answer(asked, version, etag, request.getRequestURI(), query);
        }
        if (prepared.link() != null) {
            response.setHeader("Link", prepared.link());
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(prepared.body().length);
        response.getOutputStream().write(prepared.body());
        return HttpServletResponse.SC_OK;
    }

    /** {@code If-None-Match} holds {@code etag} (a list, weak or strong, as RFC 9110 compares for it). */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** No {@code Accept}, or one that takes JSON without a {@code q=0} anywhere (anything subtler takes the long way). */
    static boolean acceptsJson(String accept) {
        if (accept == null) {
            return true;
        }
        boolean json = false;
        for (String range : accept.split(",")) {
            int semi = range.indexOf(';');
            String type = (semi < 0 ? range : range.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
            if (semi >= 0 && range.substring(semi).replace(" ", "").matches(".*;q=0(\\.0{0,3})?(;.*)?")) {
                return false;
            }
            json |= type.equals("*/*") || type.equals("application/*") || type.equals("application/json");
        }
        return json;
    }
}
