package dev.statehouse.web;

import dev.statehouse.support.Http;
import java.nio.file.Path;

import dev.statehouse.support.RunningServer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With origins configured, cross-origin access is open to those origins only (off by default:
 * ContractTest). A server of its own, on a database file of its own, closed after the class.
 */
@TestPropertySource(properties = "statehouse.http.cors.allowed-origins=https://ui.example")
@DirtiesContext
class CorsTest extends RunningServer {

    private static final Path DATA_DIR = tempDir("statehouse-cors-");

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("statehouse.storage.path", () -> DATA_DIR.resolve("state.db").toString());
        registry.add("statehouse.resources.root", () -> DATA_DIR.resolve("resources").toString());
        registry.add("statehouse.checkpoints.dir", () -> DATA_DIR.resolve("checkpoints").toString());
    }

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
