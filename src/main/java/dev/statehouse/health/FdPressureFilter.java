package dev.statehouse.health;

import java.io.IOException;

import dev.statehouse.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding when descriptors run out: while the last sample is at or past the critical ratio,
 * API requests get a quick 503 with {@code Retry-After} and {@code Connection: close} — each such
 * answer frees the client's socket — instead of starting work that would fail half-way for want
 * of a descriptor. The probes and the actuator are never shed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class FdPressureFilter extends OncePerRequestFilter {

    private final FdSampler sampler;

    public FdPressureFilter(FdSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (sampler.underPressure()) {
            FdLeakState state = sampler.state();
            response.setHeader("Retry-After", "5");
            response.setHeader("Connection", "close");
            Problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, dev.statehouse.domain.ErrorKind.OUT_OF_DESCRIPTORS, "the service is near its open-file limit (limit "
                    + state.scan().limit() + "); retry shortly", request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
