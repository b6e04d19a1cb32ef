package dev.statehouse.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.statehouse.security.LeanRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.stereotype.Component;

/**
 * The liveness probe on the lean path, for callers the long way shows no details to (anonymous, or a
 * token without scope {@code metrics}): the group's status from Boot's own {@link HealthEndpoint}
 * (its indicators: the liveness state and {@link FdLeakHealthIndicator}, both from memory) and the
 * group's status-to-HTTP mapping, the body {@code {"status":"…"}} and the headers the actuator sends.
 * Probes are polled like the sidebar. Declined: a query string, an {@code Accept} other than none,
 * {@code *}{@code /*} or {@code application/json}.
 */
@Component
class LivenessLeanRoute implements LeanRoute {

    private static final String ACTUATOR_JSON = "application/vnd.spring-boot.actuator.v3+json";
    private static final String GROUP = "liveness";

    private final HealthEndpoint health;
    private final HealthEndpointGroups groups;

    LivenessLeanRoute(HealthEndpoint health, HealthEndpointGroups groups) {
        this.health = health;
        this.groups = groups;
    }

    @Override
    public String path() {
        return "/actuator/health/" + GROUP;
    }

    @Override
    public String scope() {
        return null;
    }

    @Override
    public String metricUri() {
        return "/actuator/health/**";
    }

    @Override
    public int answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accept = request.getHeader("Accept");
        String type = accept == null || accept.trim().equals("*/*") ? ACTUATOR_JSON : accept.trim().equals("application/json") ? "application/json" : null;
        HealthEndpointGroup group = groups.get(GROUP);
        if (type == null || request.getQueryString() != null || group == null) {
            return 0;
        }
        HealthDescriptor descriptor = health.healthForPath(GROUP);
        if (descriptor == null) {
            return 0;
        }
        int status = group.getHttpCodeStatusMapper().getStatusCode(descriptor.getStatus());
        byte[] body = ("{\"status\":\"" + descriptor.getStatus().getCode() + "\"}").getBytes(StandardCharsets.UTF_8);
        LeanRoute.securityHeaders(response);
        LeanRoute.noStoreHeaders(response);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return status;
    }
}
