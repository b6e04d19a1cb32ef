package dev.statehouse.security;

import java.util.List;
import java.util.Map;

import dev.statehouse.web.HttpProperties;
import dev.statehouse.web.ProblemHandler;
import dev.statehouse.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30, found by {@code DatabaseFaultsIT}: a lean route whose data version cannot be read (the
 * database stopped, frozen or cut off) answered a bare 500; it must answer what the long way answers —
 * 503 {@code database-unavailable} with {@code Retry-After} — at once, without sending the request
 * the long way to wait on the database a second time.
 */
class LeanReadFilterTest {

    private static final String TOKEN = "lean-filter-token-0123456789";

    private static LeanReadFilter filter(LeanRoute route) {
        AuthProperties auth = new AuthProperties(true, Map.of("t", new AuthProperties.Token(null, TOKEN, List.of("read"))), null,
                java.time.Duration.ofMinutes(5));
        HttpProperties http = Binder.get(new org.springframework.core.env.StandardEnvironment()).bindOrCreate("statehouse.http", HttpProperties.class);
        return new LeanReadFilter(List.of(route), new ProblemHandler(), new TokenStore(auth), auth, http, -1, 8080);
    }

    private static LeanRoute failing() {
        return new LeanRoute() {
            public String path() {
                return "/api/sessions";
            }

            public String scope() {
                return "read";
            }

            public String metricUri() {
                return "/api/sessions";
            }

            public int answer(HttpServletRequest request, HttpServletResponse response) {
                response.setHeader("ETag", "\"half-written\"");
                throw new DataAccessResourceFailureException("the database cannot be reached",
                        new java.sql.SQLNonTransientConnectionException("Connection refused", "08001"));
            }
        };
    }

    @Test
    void aRouteWhoseDatabaseFailsAnswersAsTheLongWayWouldAndDoesNotGoOn() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/sessions");
        request.addHeader("Authorization", "Bearer " + TOKEN);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader(RequestIdFilter.HEADER, "r-kept");
        MockFilterChain chain = new MockFilterChain();
        filter(failing()).doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("not sent the long way").isNull();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("https://statehouse.dev/problems/database-unavailable");
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(response.getHeader(RequestIdFilter.HEADER)).isEqualTo("r-kept");
        assertThat(response.getHeader("ETag")).as("nothing of the failed answer").isNull();
    }

    @Test
    void anUnknownTokenGoesTheLongWay() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/sessions");
        request.addHeader("Authorization", "Bearer not-the-token-0123456789");
        MockFilterChain chain = new MockFilterChain();
        filter(failing()).doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
    }
}
