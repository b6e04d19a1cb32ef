package dev.statehouse.sessions;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.statehouse.storage.Cursor;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestParam;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean path's strict reading of a sidebar query ({@link SidebarQuery#parseStrict}): what it takes
 * means what MVC binds, and anything else is left to the long way (null), which validates.
 */
class SidebarQueryTest {

    private static final String CURSOR = new Cursor(1_793_810_035.9658265, "s_bench_009999").encode();

    @Test
    void theUsualPollsAreRead() {
        assertThat(SidebarQuery.parseStrict(null)).isEqualTo(query(null, null, false, false, false, 50, null));
        assertThat(SidebarQuery.parseStrict("")).isEqualTo(query(null, null, false, false, false, 50, null));
        assertThat(SidebarQuery.parseStrict("limit=50")).isEqualTo(query(null, null, false, false, false, 50, null));
        assertThat(SidebarQuery.parseStrict("limit=1")).isEqualTo(query(null, null, false, false, false, 1, null));
        assertThat(SidebarQuery.parseStrict("limit=200&cursor=" + CURSOR)).isEqualTo(query(null, null, false, false, false, 200, CURSOR));
        assertThat(SidebarQuery.parseStrict("source=cli.v2:beta&project=p_1-x&include_archived=true&include_empty=false&include_background=true"))
                .isEqualTo(query("cli.v2:beta", "p_1-x", true, false, true, 50, null));
        assertThat(SidebarQuery.parseStrict("cursor=" + CURSOR).after()).isEqualTo(Cursor.decode(CURSOR));
    }

    @Test
    void anythingElseIsTheLongWays() {
        for (String query : List.of("limit=0", "limit=201", "limit=050", "limit=+5", "limit=-1", "limit=5.0", "limit=", "limit",
                "limit=5&limit=6", "limit=5&", "&limit=5", "limit=5&&source=x", "Limit=5", "limit=%35", "source=a%20b", "source=a+b",
                "source=" + "s".repeat(65), "source=", "project=a.b", "project=" + "p".repeat(65), "include_archived=1",
                "include_archived=TRUE", "include_archived=yes", "include_empty=on", "include_background=", "cursor=not-a-cursor",
                "cursor=" + CURSOR + "=", "cursor=" + CURSOR + "&cursor=" + CURSOR, "other=1", "limit=5&other=1", "=5", "limit==5")) {
            assertThat(SidebarQuery.parseStrict(query)).as(query).isNull();
        }
    }

    @Test
    void everyParameterTheControllerBindsIsRead() throws Exception {
        Method sidebar = List.of(SessionController.class.getMethods()).stream().filter(m -> m.getName().equals("sidebar")).findFirst().orElseThrow();
        Map<String, String> samples = Map.of("source", "cli", "project", "p_1", "include_archived", "true", "include_empty", "true",
                "include_background", "true", "limit", "7", "cursor", CURSOR);
        List<String> names = new ArrayList<>();
        for (Parameter p : sidebar.getParameters()) {
            RequestParam param = p.getAnnotation(RequestParam.class);
            if (param != null) {
                String name = param.name().isEmpty() ? param.value().isEmpty() ? p.getName() : param.value() : param.name();
                names.add(name);
                assertThat(samples).as("a sample for %s", name).containsKey(name);
                assertThat(SidebarQuery.parseStrict(name + "=" + samples.get(name))).as(name).isNotNull();
            }
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(samples.keySet());
        assertThat(SidebarQuery.parseStrict(String.join("&", names.stream().map(n -> n + "=" + samples.get(n)).toList())))
                .isEqualTo(query("cli", "p_1", true, true, true, 7, CURSOR));
    }

    private static SidebarQuery query(String source, String project, boolean archived, boolean empty, boolean background, int limit,
                                      String cursor) {
        return new SidebarQuery(new SidebarFilter(source, project, archived, empty, background), limit, cursor, Cursor.decode(cursor));
    }
}
