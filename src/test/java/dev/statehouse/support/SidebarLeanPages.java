package dev.statehouse.support;

import io.micrometer.core.instrument.MeterRegistry;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean path making a sidebar page itself (a query it reads strictly, never answered before, or
 * answered at an older version): the page, its next page by its {@code Link}, a filtered page and a
 * page after a write are answered without the long way, and each equals, body and headers, what
 * the long way answers for the same URL (asked with {@code If-Match}, which only the long way takes).
 * Run with the sidebar cache on and off.
 */
public final class SidebarLeanPages {

    private SidebarLeanPages() {
    }

    public static void makesPagesAsTheControllerDoes(Http http, MeterRegistry registry, String source) {
        for (int i = 0; i < 3; i++) {
            http.post("/api/sessions", map("id", source + "_" + i, "source", source));
            http.post("/api/sessions/" + source + "_" + i + "/messages", map("role", "user", "content", "hello " + i));
        }
        String page = "/api/sessions?source=" + source + "&limit=2";
        long served200 = LongWay.served(registry, "/api/sessions", 200);
        long before = LongWay.count(registry);
        Http.Response lean = http.get(page);
        assertThat(lean.status()).isEqualTo(200);
        assertThat(LongWay.count(registry)).as("made on the lean path").isEqualTo(before);
        assertThat(lean.json().get("items")).hasSize(2);
        sameAsTheLongWay(http, registry, page, lean);

        before = LongWay.count(registry);
        assertThat(http.request("GET", page, null, "If-None-Match", lean.header("ETag")).status()).isEqualTo(304);
        String link = lean.header("Link");
        assertThat(link).startsWith("</api/sessions?source=" + source + "&limit=2&cursor=").endsWith(">; rel=\"next\"");
        String next = link.substring(1, link.indexOf('>'));
        Http.Response second = http.get(next);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("items")).hasSize(1);
        assertThat(second.header("Link")).isNull();
        String filtered = "/api/sessions?include_archived=true&source=" + source + "&include_empty=false&include_background=true";
        Http.Response all = http.get(filtered);
        assertThat(all.json().get("items")).hasSize(3);
        assertThat(LongWay.count(registry)).as("the 304, the next page and a filtered page: the lean path").isEqualTo(before);
        sameAsTheLongWay(http, registry, next, second);
        sameAsTheLongWay(http, registry, filtered, all);

        assertThat(http.post("/api/sessions/" + source + "_0/messages", map("role", "assistant", "content", "again")).status()).isEqualTo(201);
        before = LongWay.count(registry);
        Http.Response changed = http.request("GET", page, null, "If-None-Match", lean.header("ETag"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(lean.header("ETag"));
        assertThat(changed.json().get("items").get(0).get("id").asString()).as("a client reads its own write").isEqualTo(source + "_0");
        assertThat(changed.json().get("items").get(0).get("message_count").asLong()).isEqualTo(2);
        assertThat(LongWay.count(registry)).isEqualTo(before);
        sameAsTheLongWay(http, registry, page, changed);
        assertThat(LongWay.served(registry, "/api/sessions", 200)).as("each answer counted as the long way counts it")
                .isGreaterThanOrEqualTo(served200 + 8);
    }

    private static void sameAsTheLongWay(Http http, MeterRegistry registry, String url, Http.Response lean) {
        long before = LongWay.count(registry);
        Http.Response reference = http.request("GET", url, null, "If-Match", lean.header("ETag"));
        assertThat(LongWay.count(registry)).as("If-Match takes the long way").isEqualTo(before + 1);
        assertThat(reference.status()).isEqualTo(200);
        assertThat(lean.raw().body()).isEqualTo(reference.raw().body());
        assertThat(LongWay.headers(lean)).isEqualTo(LongWay.headers(reference));
    }
}
