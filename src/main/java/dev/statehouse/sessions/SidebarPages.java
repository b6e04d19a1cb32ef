package dev.statehouse.sessions;

import dev.statehouse.storage.Cursor;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The one way a sidebar answer is made, for the controller (the long way) and {@link SidebarLeanRoute}
 * alike, so both send the same bytes and headers: the data version, the ETag of a request for it,
 * and the page — its JSON ({@link SidebarJson}), shared through {@link SidebarCache} by every
 * client asking the same page at the same version, and remembered as the answer to the raw query
 * that asked it ({@link SidebarCache#prepare}).
 *
 * <p>The caller's duty: the {@link SidebarQuery} is validated (MVC's binding and constraints, or
 * {@link SidebarQuery#parseStrict}) and is the meaning of {@code query}.
 */
@Component
class SidebarPages {

    /** A page as sent, and its next cursor (for the Link header). */
    private record PageBytes(byte[] body, String nextCursor) {
    }

    private final SessionService sessions;
    private final SidebarCache cache;
    private final SidebarJson json;
    /** Part of every sidebar ETag: the rules that shape a page besides the data. */
    private final String rules;

    SidebarPages(SessionService sessions, SidebarCache cache, ObjectMapper mapper, SessionsProperties props) {
        this.sessions = sessions;
        this.cache = cache;
        this.json = new SidebarJson(mapper);
        this.rules = "sidebar" + Integer.toHexString(props.backgroundSources().hashCode());
    }

    /** The sessions scope's data version, as fresh as {@link SidebarCache#version} says. */
    String version() {
        return cache.version();
    }

    /** The ETag of the answer to {@code path}?{@code query} (raw; null for none) at {@code version}. */
    String etag(String version, String path, String query) {
        return Responses.etag(rules, version, path, query);
    }

    /** The answer to {@code asked}, spelled {@code path}?{@code query}, at {@code version}, whose ETag is {@code etag}. */
    SidebarCache.Prepared answer(SidebarQuery asked, String version, String etag, String path, String query) {
        PageBytes page = cache.get(asked.cacheKey(), version, () -> {
            Page<SidebarRow> rows = Page.of(sessions.sidebar(asked.filter(), asked.after(), asked.limit() + 1), asked.limit(),
                    last -> new Cursor(last.sortKey(), last.lineageRootId()).encode());
            return new PageBytes(json.write(rows), rows.nextCursor());
        });
        SidebarCache.Prepared answer = new SidebarCache.Prepared(version, etag, Responses.nextLinkHeader(path, query, page.nextCursor()),
                page.body());
        cache.prepare(query, answer);
        return answer;
    }
}
