package dev.statehouse.sessions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sidebar's lean path takes as a match and as JSON; anything else is the long way's to judge. */
class SidebarLeanRouteTest {

    @Test
    void ifNoneMatchComparesWeaklyOverAList() {
        assertThat(SidebarLeanRoute.matches("\"a-1\"", "\"a-1\"")).isTrue();
        assertThat(SidebarLeanRoute.matches("W/\"a-1\"", "\"a-1\"")).isTrue();
        assertThat(SidebarLeanRoute.matches("\"x\" , W/\"a-1\"", "\"a-1\"")).isTrue();
        assertThat(SidebarLeanRoute.matches("\"a-2\"", "\"a-1\"")).isFalse();
        assertThat(SidebarLeanRoute.matches("a-1", "\"a-1\"")).isFalse();
    }

    @Test
    void onlyAPlainJsonAcceptIsLean() {
        assertThat(SidebarLeanRoute.acceptsJson(null)).isTrue();
        assertThat(SidebarLeanRoute.acceptsJson("*/*")).isTrue();
        assertThat(SidebarLeanRoute.acceptsJson("application/json, text/plain, */*")).isTrue();
        assertThat(SidebarLeanRoute.acceptsJson("Application/JSON;charset=utf-8")).isTrue();
        assertThat(SidebarLeanRoute.acceptsJson("text/html")).isFalse();
        assertThat(SidebarLeanRoute.acceptsJson("application/json;q=0, */*")).isFalse();
        assertThat(SidebarLeanRoute.acceptsJson("application/json; q=0.000")).isFalse();
        assertThat(SidebarLeanRoute.acceptsJson("application/json;q=0.5")).isTrue();
    }
}
