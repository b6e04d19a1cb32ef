package dev.statehouse.support;

import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the lean path's tests observe: how many requests went the long way (through Spring Security's
 * filter chain, whose observation moves by one per request), how many {@code http.server.requests}
 * recorded, and the headers of an answer that do not change per request.
 */
public final class LongWay {

    private LongWay() {
    }

    /**
     * Requests that went through Spring Security's filter chain, once the count is settled: its
     * observation of the filters before the servlet is recorded as the request leaves them, possibly
     * just after the client has its answer.
     */
    public static long count(MeterRegistry registry) {
        long count = chainCount(registry);
        for (int quiet = 0; quiet < 3; ) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long now = chainCount(registry);
            quiet = now == count ? quiet + 1 : 0;
            count = now;
        }
        return count;
    }

    private static long chainCount(MeterRegistry registry) {
        return registry.find("spring.security.filterchains").tag("spring.security.reached.filter.section", "before").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    /** {@code http.server.requests} recorded for {@code uri} with {@code status}. */
    public static long served(MeterRegistry registry, String uri, int status) {
        return registry.find("http.server.requests").tag("uri", uri).tag("status", Integer.toString(status)).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    /** The response's headers that do not change per request (not Date, not the request id). */
    public static Map<String, Object> headers(Http.Response r) {
        Map<String, Object> h = new TreeMap<>(r.raw().headers().map());
        h.remove("date");
        h.remove("x-request-id");
        return h;
    }
}
