package dev.statehouse.sessions;

import java.io.IOException;

import dev.statehouse.security.LeanRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * The sidebar on the lean path: a query the controller answered at the data version that is still
 * current gets the same page again ({@link SidebarCache.Prepared}: same bytes, {@code ETag},
 * {@code Link}, {@code Cache-Control}), or 304 when {@code If-None-Match} holds its ETag. The version
 * is read as the controller reads it ({@link SidebarCache#version}), so a client still reads its own
 * writes and every replica's on PostgreSQL. Declined (the long way answers): the cache off, a query
 * never answered or answered at an older version, an {@code Accept} that is not plainly JSON, and
 * {@code If-None-Match: *}, {@code If-Match} or {@code If-Unmodified-Since}.
 */
@Component
class SidebarLeanRoute implements LeanRoute {

    private final SidebarCache cache;

    SidebarLeanRoute(SidebarCache cache) {
        this.cache = cache;
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
        if (!cache.enabled() || !acceptsJson(request.getHeader("Accept")) || "*".equals(ifNoneMatch == null ? null : ifNoneMatch.trim())
                || request.getHeader("If-Match") != null || request.getHeader("If-Unmodified-Since") != null) {
            return 0;
        }
        SidebarCache.Prepared prepared = cache.prepared(request.getQueryString());
        if (prepared == null || !prepared.version().equals(cache.version())) {
            return 0;
        }
        LeanRoute.securityHeaders(response);
        response.setHeader("ETag", prepared.etag());
        response.setHeader("Cache-Control", "no-cache");
        if (ifNoneMatch != null && matches(ifNoneMatch, prepared.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return HttpServletResponse.SC_NOT_MODIFIED;
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
