package dev.statehouse.security;

import java.util.Map;

import dev.statehouse.support.Http;
import dev.statehouse.support.LongWay;
import dev.statehouse.support.ServerTestSupport;
import dev.statehouse.support.SidebarLeanPages;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationContext;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30: the lean path ({@link LeanReadFilter}). A sidebar page the controller answered is answered
 * again, and its 304, without Spring Security's filter chain (seen by its observation count, which the
 * long way moves by one per request), with the same bytes and headers; everything it is not sure of
 * takes the long way with the long way's answer (401, 403, 406, a write, CORS). The anonymous liveness
 * probe likewise, including a broken liveness state (503). Requests it answers are in
 * {@code http.server.requests} like any other.
 */
class LeanReadTest extends ServerTestSupport {

    @Autowired
    MeterRegistry registry;

    @Autowired
    ApplicationContext context;

    private long longWay() {
        return LongWay.count(registry);
    }

    private long served(String uri, int status) {
        return LongWay.served(registry, uri, status);
    }

    private static Map<String, Object> headers(Http.Response r) {
        return LongWay.headers(r);
    }

    @Test
    void aSidebarPageAndIts304AreAnsweredWithoutTheLongWayAndAsItWould() {
        String source = unique("lean");
        http.post("/api/sessions", map("id", source + "_s", "source", source));
        http.post("/api/sessions/" + source + "_s/messages", map("role", "user", "content", "hello"));
        // the source percent-encoded ("%6C" is "l"): a spelling the lean path leaves to MVC's binding, so the controller answers it first
        String page = "/api/sessions?source=%6C" + source.substring(1) + "&limit=5";

        long before = longWay();
        Http.Response first = http.get(page);
        assertThat(first.status()).isEqualTo(200);
        assertThat(longWay()).as("the first answer takes the long way").isEqualTo(before + 1);
        String etag = first.header("ETag");

        long served304 = served("/api/sessions", 304);
        Http.Response again = http.request("GET", page, null, "X-Request-Id", "lean-1");
        Http.Response notModified = http.request("GET", page, null, "If-None-Match", etag);
        Http.Response weakList = http.request("GET", page, null, "If-None-Match", "\"other\", W/" + etag);
        assertThat(longWay()).as("answered from the prepared page").isEqualTo(before + 1);
        assertThat(again.raw().body()).isEqualTo(first.raw().body());
        assertThat(headers(again)).isEqualTo(headers(first));
        assertThat(again.header("X-Request-Id")).isEqualTo("lean-1");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.raw().body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(notModified.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(notModified.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(weakList.status()).isEqualTo(304);
        assertThat(served("/api/sessions", 304)).as("counted as the long way counts it").isEqualTo(served304 + 2);

        // a read-only token is let in; the rest gets what the long way says
        assertThat(new Http(port, Http.READ_TOKEN).request("GET", page, null, "If-None-Match", etag).status()).isEqualTo(304);
        long checked = longWay();
        Http.Response wrongToken = new Http(port, "not-a-token-0123456789").request("GET", page, null, "If-None-Match", etag);
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.isProblem()).isTrue();
        assertThat(new Http(port, null).request("GET", page, null, "If-None-Match", etag).status()).isEqualTo(401);
        Http.Response noScope = new Http(port, Http.METRICS_TOKEN).request("GET", page, null, "If-None-Match", etag);
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.json().get("scope").asString()).isEqualTo("read");
        assertThat(http.request("GET", page, null, "If-None-Match", etag, "Accept", "text/html").status()).isEqualTo(406);
        assertThat(http.request("GET", page, null, "If-None-Match", etag, "Origin", "https://elsewhere.example").status())
                .as("CORS is the long way's").isEqualTo(304);
        assertThat(http.request("GET", page, null, "If-Match", etag).status()).isEqualTo(200);
        assertThat(longWay()).as("each of those took the long way").isEqualTo(checked + 6);

        // a write: the prepared page is stale; the query is not one the lean path reads itself, so the long way answers and prepares it
        assertThat(http.post("/api/sessions/" + source + "_s/messages", map("role", "assistant", "content", "again")).status()).isEqualTo(201);
        long beforeChange = longWay();
        Http.Response changed = http.request("GET", page, null, "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.json().get("items").get(0).get("message_count").asLong()).isEqualTo(2);
        assertThat(longWay()).isEqualTo(beforeChange + 1);
        assertThat(http.request("GET", page, null, "If-None-Match", changed.header("ETag")).status()).isEqualTo(304);
        assertThat(longWay()).isEqualTo(beforeChange + 1);

        // a query never answered and not read strictly is never answered on the lean path, even with an ETag of the right shape
        String other = "/api/sessions?source=" + source + "&limit=0";
        assertThat(http.request("GET", other, null, "If-None-Match", etag).status()).isEqualTo(400);
    }

    @Test
    void aSidebarPageNeverAnsweredIsMadeOnTheLeanPathAsTheControllerMakesIt() {
        SidebarLeanPages.makesPagesAsTheControllerDoes(http, registry, unique("made"));
    }

    @Test
    void theAnonymousLivenessProbeIsAnsweredWithoutTheLongWayAndTellsTheTruth() {
        Http anonymous = new Http(port, null);
        long before = longWay();
        Http.Response longWay = anonymous.get("/actuator/health/liveness?any=query"); // a query string: the long way
        assertThat(longWay()).isEqualTo(before + 1);
        before = longWay();
        Http.Response lean = anonymous.get("/actuator/health/liveness");
        assertThat(longWay()).isEqualTo(before);
        assertThat(lean.status()).isEqualTo(200);
        assertThat(lean.raw().body()).isEqualTo("{\"status\":\"UP\"}").isEqualTo(longWay.raw().body());
        Map<String, Object> expected = headers(longWay);
        expected.remove("transfer-encoding");
        Map<String, Object> got = headers(lean);
        got.remove("content-length");
        assertThat(got).isEqualTo(expected);
        assertThat(new Http(port, Http.METRICS_TOKEN).get("/actuator/health/liveness").json().get("components"))
                .as("details for scope metrics: the long way").isNotNull();
        assertThat(new Http(port, "not-a-token-0123456789").get("/actuator/health/liveness").status()).isEqualTo(401);

        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        try {
            long broken = longWay();
            Http.Response down = anonymous.get("/actuator/health/liveness");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.raw().body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(longWay()).isEqualTo(broken);
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
    }
}
