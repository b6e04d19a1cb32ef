package dev.statehouse.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.statehouse.security.LeanRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.stereotype.Component;

/**
 * The liveness probe on the lean path, for callers the long way shows no details to (anonymous, or a
 * token without scope {@code metrics}): the status the actuator would answer, computed as Boot's
 * health endpoint computes it for such a caller, without its per-call walk of the registry. The
 * group's members (the liveness state and {@link FdLeakHealthIndicator}, both answering from memory)
 * are looked up once, at the first probe; each is asked {@code health(false)} (no details built, as
 * Boot asks for a caller who sees none), a null answer is left out as Boot leaves it out, and the
 * group's own {@link HealthEndpointGroup#getStatusAggregator() aggregator} and
 * {@link HealthEndpointGroup#getHttpCodeStatusMapper() status mapper} give the status and the HTTP
 * code. The body {@code {"status":"…"}} and the headers are the actuator's. Probes are polled like
 * the sidebar.
 * <p>Declined (the long way answers): a query string, an {@code Accept} other than none,
 * {@code *}{@code /*} or {@code application/json}; a group with a member that is not a plain
 * {@link HealthIndicator} (a composite, a reactive one) or with no member. The caller's duty: a
 * contributor registered at run time is not seen by this route; Statehouse registers none.
 */
@Component
class LivenessLeanRoute implements LeanRoute {

    private static final String ACTUATOR_JSON = "application/vnd.spring-boot.actuator.v3+json";
    private static final String GROUP = "liveness";

    private final HealthEndpointGroups groups;
    private final HealthContributorRegistry registry;
    private final ObjectProvider<ReactiveHealthContributorRegistry> reactive;
    /** The group's members, found at the first probe; empty: this route declines. */
    private volatile List<HealthIndicator> members;

    LivenessLeanRoute(HealthEndpointGroups groups, HealthContributorRegistry registry,
            ObjectProvider<ReactiveHealthContributorRegistry> reactive) {
        this.groups = groups;
        this.registry = registry;
        this.reactive = reactive;
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
        List<HealthIndicator> indicators = members(group);
        Set<Status> statuses = new HashSet<>();
        for (HealthIndicator indicator : indicators) {
            Health health = indicator.health(false);
            if (health != null) {
                statuses.add(health.getStatus());
            }
        }
        if (statuses.isEmpty()) {
            return 0; // the actuator would answer 404 for a group with nothing to say
        }
        Status aggregate = group.getStatusAggregator().getAggregateStatus(statuses);
        int status = group.getHttpCodeStatusMapper().getStatusCode(aggregate);
        byte[] body = ("{\"status\":\"" + aggregate.getCode() + "\"}").getBytes(StandardCharsets.UTF_8);
        LeanRoute.securityHeaders(response);
        LeanRoute.noStoreHeaders(response);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return status;
    }

    private List<HealthIndicator> members(HealthEndpointGroup group) {
        List<HealthIndicator> found = members;
        if (found == null) {
            found = find(group);
            members = found;
        }
        return found;
    }

    /** The group's members, or none at all when one of them is not a plain indicator (the long way answers then). */
    private List<HealthIndicator> find(HealthEndpointGroup group) {
        ReactiveHealthContributorRegistry reactiveRegistry = reactive.getIfAvailable();
        if (reactiveRegistry != null && reactiveRegistry.stream().anyMatch(e -> group.isMember(e.name()))) {
            return List.of();
        }
        List<HealthIndicator> found = new ArrayList<>();
        for (HealthContributors.Entry entry : registry) {
            if (group.isMember(entry.name())) {
                HealthContributor contributor = entry.contributor();
                if (!(contributor instanceof HealthIndicator indicator)) {
                    return List.of();
                }
                found.add(indicator);
            }
        }
        return List.copyOf(found);
    }
}
