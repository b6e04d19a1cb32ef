package dev.statehouse.web;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With origins configured, cross-origin access is open to those origins only (off by default: ContractTest). */
@TestPropertySource(properties = "statehouse.http.cors.allowed-origins=https://ui.example")
class CorsTest extends ServerTestSupport {

    static Http.Response preflight(Http http, String origin) {
        return http.request("OPTIONS", "/api/sessions", null, "Origin", origin, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization,if-none-match");
    }

    @Test
    void theListedOriginIsAllowedAndMayReadTheContractHeaders() {
        Http.Response pre = preflight(new Http(port, null), "https://ui.example");
        assertThat(pre.status()).isEqualTo(200);
        assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo("https://ui.example");
        assertThat(pre.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        Http.Response get = http.request("GET", "/api/projects", null, "Origin", "https://ui.example");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("https://ui.example");
        assertThat(get.header("Access-Control-Expose-Headers")).contains("ETag").contains("Link").contains("Location");
        assertThat(get.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void anotherOriginIsRefused() {
        Http.Response pre = preflight(new Http(port, null), "https://evil.example");
        assertThat(pre.status()).isEqualTo(403);
        assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
    }
}
