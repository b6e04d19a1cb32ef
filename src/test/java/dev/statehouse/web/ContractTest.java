package dev.statehouse.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Every 201 says where the new thing is; every list has one shape and a Link to its next page. */
class ContractTest extends ServerTestSupport {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    /** 201, a Location that resolves on this server, and (when it names a readable thing) a GET of it answers 200. */
    private String created(Http.Response r, boolean readable) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        String location = r.header("Location");
        assertThat(location).as("Location").isNotNull();
        String path = r.raw().uri().resolve(location).getRawPath() + (location.contains("?") ? location.substring(location.indexOf('?')) : "");
        assertThat(path).startsWith("/api/");
        if (readable) {
            assertThat(http.get(path).status()).as(path).isEqualTo(200);
        }
        return path;
    }

    @Test
    void every201CarriesALocation() {
        String session = created(http.post("/api/sessions", map("source", "contract")), true);
        assertThat(session).startsWith("/api/sessions/s_");
        String message = created(http.post(session + "/messages", map("role", "user", "content", "hi")), true);
        assertThat(http.get(message).json().get("content").asString()).isEqualTo("hi");
        created(http.post("/api/projects", map("name", unique("p"))), true);
        String slug = unique("loc").toLowerCase().replace('_', '-');
        assertThat(created(http.post("/api/boards", map("slug", slug, "name", "L")), true)).isEqualTo("/api/boards/" + slug);
        String parent = created(http.post("/api/boards/" + slug + "/tasks", map("title", "parent")), true);
        String child = created(http.post("/api/boards/" + slug + "/tasks", map("title", "child")), true);
        String parentId = parent.substring(parent.lastIndexOf('/') + 1);
        created(http.post(child + "/links", map("parent_id", parentId)), true);
        created(http.post(child + "/comments", map("body", "c")), true);
        created(http.post("/api/plans", map("description", "d")), true);
        created(http.post("/api/boards/" + slug + "/events/tickets", map()), false);
        // an idempotent repeat is not a creation: 200, no Location needed
        http.post("/api/boards/" + slug + "/tasks", map("title", "once", "idempotency_key", "k1"));
        assertThat(http.post("/api/boards/" + slug + "/tasks", map("title", "once", "idempotency_key", "k1")).status()).isEqualTo(200);
    }

    /** Follows Link rel="next" from {@code first} and checks the shape of each page; returns every item's {@code key}. */
    private List<String> walk(String first, String key) {
        List<String> seen = new ArrayList<>();
        String path = first;
        int pages = 0;
        while (path != null && pages++ < 50) {
            Http.Response r = http.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            JsonNode page = r.json();
            assertThat(page.has("items") && page.has("next_cursor")).as(page.toString()).isTrue();
            page.get("items").forEach(i -> seen.add(i.get(key).asString()));
            String link = r.header("Link");
            if (page.get("next_cursor").isNull()) {
                assertThat(link).as("no Link on the last page").isNull();
                path = null;
            } else {
                Matcher m = NEXT.matcher(link);
                assertThat(m.find()).as(link).isTrue();
                path = m.group(1).substring(m.group(1).indexOf("/api/"));
                assertThat(path).contains("cursor=" + page.get("next_cursor").asString());
            }
        }
        return seen;
    }

    @Test
    void everyListPagesWithItemsNextCursorAndALinkHeader() {
        String slug = unique("pages").toLowerCase().replace('_', '-');
        http.post("/api/boards", map("slug", slug, "name", "P"));
        Set<String> tasks = new LinkedHashSet<>();
        for (int i = 0; i < 7; i++) {
            tasks.add(http.post("/api/boards/" + slug + "/tasks", map("title", "t" + i)).json().get("id").asString());
        }
        List<String> listed = walk("/api/boards/" + slug + "/tasks?limit=3", "id");
        assertThat(listed).hasSize(7).containsExactlyInAnyOrderElementsOf(tasks);

        String source = unique("pages");
        for (int i = 0; i < 5; i++) {
            String s = http.post("/api/sessions", map("source", source)).json().get("id").asString();
            http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "m"));
        }
        assertThat(walk("/api/sessions?limit=2&source=" + source, "id")).hasSize(5).doesNotHaveDuplicates();

        String s = http.post("/api/sessions", map("source", source)).json().get("id").asString();
        for (int i = 0; i < 5; i++) {
            http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "m" + i));
        }
        assertThat(walk("/api/sessions/" + s + "/messages?limit=2", "content")).hasSize(5).doesNotHaveDuplicates();

        for (int i = 0; i < 3; i++) {
            http.post("/api/projects", map("name", unique("proj")));
        }
        List<String> projects = walk("/api/projects?limit=2", "id");
        assertThat(projects).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        List<String> boards = walk("/api/boards?limit=1&include_archived=true", "slug");
        assertThat(boards).contains(slug).doesNotHaveDuplicates();

        String plan = http.post("/api/plans", map()).json().get("id").asString();
        assertThat(walk("/api/plans/" + plan + "/checkpoints?limit=2", "id")).isEmpty();
    }

    @Test
    void crossOriginAccessIsOffByDefault() {
        Http.Response get = http.request("GET", "/api/projects", null, "Origin", "https://ui.example");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("Access-Control-Allow-Origin")).isNull();
        assertThat(CorsTest.preflight(new Http(port, null), "https://ui.example").header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void errorsBeforeSpringMvcHaveTheSameFieldsAsItsOwn() {
        Http anonymous = new Http(port, null);
        Http reader = new Http(port, Http.READ_TOKEN);
        for (Http.Response r : List.of(anonymous.get("/api/sessions"), reader.post("/api/sessions", map("source", "x")),
                http.sendRaw("POST", "/api/sessions", "source=x", "text/plain"), http.get("/api/sessions/bad%20id"),
                http.get("/api/no-such-thing"))) {
            assertThat(r.isProblem()).as(r.raw().body()).isTrue();
            assertThat(r.contentType()).as("UTF-8 problem+json").containsIgnoringCase("application/problem+json");
            JsonNode p = r.json();
            for (String field : List.of("type", "title", "status", "detail", "instance")) {
                assertThat(p.has(field)).as(field + " in " + p).isTrue();
            }
            assertThat(p.get("status").asInt()).isEqualTo(r.status());
        }
    }
}
