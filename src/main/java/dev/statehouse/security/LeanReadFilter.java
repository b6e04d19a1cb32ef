package dev.statehouse.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.statehouse.web.HttpProperties;
import dev.statehouse.web.ProblemHandler;
import dev.statehouse.web.Problems;
import dev.statehouse.web.RequestIdFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The lean path for polled reads: a GET to a {@link LeanRoute}'s path is authenticated here as
 * {@link SecurityConfig} would (the same token digests, the same scopes, constant-time comparison),
 * and the route answers (from memory, or made by the feature's own code) — Spring Security's filter
 * chain, its observations, MVC's dispatch, argument binding and validation do not run for it.
 * Measured reason: a 304 of the sidebar spent most of its time in that machinery, none of it needed
 * for an answer already prepared.
 *
 * <p>Runs after the filters every request needs ({@code RequestIdFilter}: the request id header and
 * log field; {@code FdPressureFilter}: shedding; {@code BodyLimitFilter}: size and shape) and before
 * everything else. Anything it is not sure of takes the long way, unchanged: another method, a request
 * with a body, HTTPS (the long way adds HSTS), an {@code Origin} (CORS), no token where one is
 * needed, an unknown or insufficient token (the long way writes the 401 or 403), the management port,
 * a route that declines. A route that fails (its data version cannot be read: a database stopped, frozen or busy) gets
 * the answer {@link ProblemHandler} gives the long way (503 {@code database-unavailable} with
 * {@code Retry-After}, …), at once: the request does not wait for the database a second time. A request
 * it answers is recorded in {@code http.server.requests} with the tags the long way gives it (Spring's
 * observation filter, which runs before this one, observes it; this filter names the path pattern
 * as MVC would), so dashboards and alerts see the same series.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class LeanReadFilter implements Filter {

    private final Map<String, LeanRoute> routes;
    private final ProblemHandler problems;
    private final TokenStore tokens;
    private final boolean authEnabled;
    private final boolean enabled;
    private final int managementPort;

    public LeanReadFilter(List<LeanRoute> routes, ProblemHandler problems, TokenStore tokens, AuthProperties auth, HttpProperties http,
                          @Value("${management.server.port:-1}") int managementPort, @Value("${server.port:8080}") int serverPort) {
        this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(LeanRoute::path, Function.identity()));
        this.problems = problems;
        this.tokens = tokens;
        this.authEnabled = auth.enabled();
        this.enabled = http.leanReads();
        this.managementPort = managementPort > 0 && managementPort != serverPort ? managementPort : -1;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (enabled && req instanceof HttpServletRequest request && res instanceof HttpServletResponse response) {
            LeanRoute route = routes.get(request.getRequestURI());
            if (route != null && leanable(request) && allowed(route, request.getHeader("Authorization"))) {
                int status;
                try {
                    status = route.answer(request, response);
                } catch (RuntimeException e) { // a database that fails or does not answer: what the long way would say, not a bare 500
                    if (response.isCommitted()) {
                        throw e;
                    }
                    status = problem(e, request, response);
                }
                if (status > 0) {
                    // the request is already observed (Spring's observation filter runs first); MVC would name its pattern
                    ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(route.metricUri()));
                    return;
                }
            }
        }
        chain.doFilter(req, res);
    }

    private int problem(RuntimeException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = response.getHeader(RequestIdFilter.HEADER);
        response.reset();
        if (requestId != null) {
            response.setHeader(RequestIdFilter.HEADER, requestId);
        }
        ResponseEntity<ProblemDetail> answer = problems.answer(e, request);
        answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        LeanRoute.securityHeaders(response);
        LeanRoute.noStoreHeaders(response);
        Problems.write(response, answer.getBody());
        return answer.getStatusCode().value();
    }

    private boolean leanable(HttpServletRequest request) {
        return request.getDispatcherType() == DispatcherType.REQUEST && "GET".equals(request.getMethod()) && !request.isSecure()
                && request.getHeader("Origin") == null && request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null
                && (managementPort < 0 || request.getLocalPort() != managementPort);
    }

    /** Whether the long way would let this caller in with nothing more to say (no details, no 401, no 403). */
    private boolean allowed(LeanRoute route, String authorization) {
        if (authorization == null) {
            return route.scope() == null || !authEnabled;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        KnownToken known = tokens.find(authorization.substring(7).trim());
        if (known == null) {
            return false;
        }
        return route.scope() != null ? known.scopes().contains(route.scope()) : !known.scopes().contains("metrics");
    }

}
