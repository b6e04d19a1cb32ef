package dev.statehouse.security;

import dev.statehouse.domain.ErrorKind;
import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.statehouse.web.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import dev.statehouse.web.HttpProperties;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer tokens for the API: {@code GET/HEAD /api/**} needs scope {@code read}, any other method
 * {@code write}; the health probes are open; every other actuator endpoint needs {@code metrics},
 * unless it is served on a separate management port ({@code management.server.port}), which is
 * then trusted as internal.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, TokenStore tokens, EventTickets tickets, AuthProperties props, HttpProperties httpProps,
                            @Value("${management.server.port:-1}") int managementPort,
                            @Value("${server.port:8080}") int serverPort) throws Exception {
        boolean separateManagementPort = managementPort > 0 && managementPort != serverPort;
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(req, res, HttpStatus.UNAUTHORIZED, ErrorKind.UNAUTHORIZED,
                                "send a valid API token as 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((req, res, ex) -> missingScope(req, res)))
                .addFilterBefore(new BearerTokenFilter(tokens, tickets, separateManagementPort ? managementPort : -1), BasicAuthenticationFilter.class);
        if (!httpProps.cors().allowedOrigins().isEmpty()) {
            http.cors(c -> c.configurationSource(cors(httpProps.cors())));
        }
        if (!props.enabled()) {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        AuthorizationManager<RequestAuthorizationContext> metrics = (auth, ctx) -> new AuthorizationDecision(
                (separateManagementPort && ctx.getRequest().getLocalPort() == managementPort) || has(auth.get(), "SCOPE_metrics"));
        http.authorizeHttpRequests(a -> a
                // an async dispatch continues a request already authorized (an SSE stream ending, a client gone)
                .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                // the API's description holds no data
                .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
                        "/swagger-ui/**").permitAll()
                .requestMatchers("/actuator/**").access(metrics)
                .requestMatchers(HttpMethod.GET, "/api/boards/*/events").hasAnyAuthority("SCOPE_read", "SCOPE_events")
                .requestMatchers(HttpMethod.POST, "/api/boards/*/events/tickets").hasAuthority("SCOPE_read")
                .requestMatchers(HttpMethod.GET, "/api/**").hasAuthority("SCOPE_read")
                .requestMatchers(HttpMethod.HEAD, "/api/**").hasAuthority("SCOPE_read")
                .requestMatchers("/api/**").hasAuthority("SCOPE_write")
                .anyRequest().denyAll());
        return http.build();
    }

    /** Cross-origin access for the configured origins only (preflights answered before authentication). */
    static CorsConfigurationSource cors(HttpProperties.Cors props) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(props.allowedOrigins());
        config.setAllowedMethods(props.allowedMethods());
        config.setAllowedHeaders(props.allowedHeaders());
        config.setExposedHeaders(props.exposedHeaders());
        config.setMaxAge(props.maxAge());
        config.setAllowCredentials(false); // tokens travel in a header, never in cookies
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        return source;
    }

    /** A URL the firewall refuses (encoded ';', '%', '..', …) is a 400 problem, like any bad request. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> {
            if (!STANDARD_METHODS.contains(request.getMethod())) { // RFC 9110 15.6.2: a method the server does not recognise
                response.setHeader(HttpHeaders.ALLOW, String.join(", ", STANDARD_METHODS));
                problem(request, response, HttpStatus.NOT_IMPLEMENTED, ErrorKind.METHOD_NOT_IMPLEMENTED,
                        "this service does not implement the method " + printable(request.getMethod()));
                return;
            }
            problem(request, response, HttpStatus.BAD_REQUEST, ErrorKind.REQUEST_REJECTED,
                    "the request URL was rejected (an encoded '/', ';', '%', '..' or a control character)");
        };
    }

    private static boolean has(org.springframework.security.core.Authentication auth, String authority) {
        return auth != null && auth.isAuthenticated()
                && auth.getAuthorities().stream().anyMatch(g -> g.getAuthority().equals(authority));
    }

    /** The methods this service knows (the rest are refused with 501 before anything else looks at them). */
    static final java.util.List<String> STANDARD_METHODS = java.util.List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static String printable(String method) {
        return method != null && method.matches("[A-Za-z0-9_-]{1,32}") ? "'" + method + "'" : "it was sent";
    }

    static void problem(HttpServletRequest req, HttpServletResponse res, HttpStatus status, ErrorKind kind, String detail) throws IOException {
        if (status == HttpStatus.UNAUTHORIZED) {
            res.setHeader("WWW-Authenticate", "Bearer realm=\"statehouse\"");
        }
        Problems.write(res, status, kind, detail, req.getRequestURI());
    }

    /** 403, naming the scope the request needs (also as the problem's {@code scope}), so a client knows which token to use. */
    static void missingScope(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String scope = requiredScope(req.getMethod(), req.getRequestURI());
        ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, ErrorKind.MISSING_SCOPE, scope == null
                ? "no token grants access to this path"
                : "this request needs a token with scope '" + scope + "'", Problems.safeInstance(req.getRequestURI()));
        if (scope != null) {
            problem.setProperty("scope", scope);
        }
        Problems.write(res, problem);
    }

    /** The scope the rules above ask of a request, or null when none grants it (the same order as the rules). */
    static String requiredScope(String method, String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("/actuator/")) {
            return "metrics";
        }
        if (!path.startsWith("/api/")) {
            return null;
        }
        if ("POST".equals(method) && path.matches("/api/boards/[^/]+/events/tickets")) {
            return "read";
        }
        return "GET".equals(method) || "HEAD".equals(method) ? "read" : "write";
    }

    /** Reads {@code Authorization: Bearer <token>}; a wrong token is 401 at once, no token is left to the rules. */
    static final class BearerTokenFilter extends OncePerRequestFilter {
        private static final java.util.regex.Pattern EVENTS = java.util.regex.Pattern.compile("/api/boards/([a-z0-9][a-z0-9_-]{0,63})/events");
        private final TokenStore tokens;
        private final EventTickets tickets;
        private final int managementPort;

        /** @param managementPort a separate management port whose callers are trusted with scope metrics, or -1 */
        BearerTokenFilter(TokenStore tokens, EventTickets tickets, int managementPort) {
            this.tokens = tokens;
            this.tickets = tickets;
            this.managementPort = managementPort;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (managementPort > 0 && request.getLocalPort() == managementPort) {
                // the separate management port is trusted as internal: its callers have scope metrics, tokens or not
                SecurityContextHolder.getContext().setAuthentication(new TokenAuthentication(MANAGEMENT_PORT));
            } else if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                KnownToken known = tokens.find(header.substring(7).trim());
                if (known == null) {
                    problem(request, response, HttpStatus.UNAUTHORIZED, ErrorKind.UNAUTHORIZED, "the API token is not valid");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(new TokenAuthentication(known));
            } else if (request.getParameter("ticket") != null) {
                // a board-event ticket opens that board's event stream and nothing else
                java.util.regex.Matcher events = EVENTS.matcher(request.getRequestURI());
                if (!"GET".equals(request.getMethod()) || !events.matches() || !tickets.valid(request.getParameter("ticket"), events.group(1))) {
                    problem(request, response, HttpStatus.UNAUTHORIZED, ErrorKind.UNAUTHORIZED,
                            "the ticket is not valid for this request (expired, for another board, or not an event stream)");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(new TokenAuthentication(EVENT_TICKET));
            }
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
    }

    /** The bearer of a valid board-event ticket: that board's event stream only. */
    private static final KnownToken EVENT_TICKET = new KnownToken("event-ticket", new byte[0], java.util.Set.of("events"));

    /** Whoever reaches the separate management port (kubelet, Prometheus): trusted as internal, with scope metrics. */
    private static final KnownToken MANAGEMENT_PORT = new KnownToken("management-port", new byte[0], java.util.Set.of("metrics"));

    /**
     * Role names in Boot's health {@code roles} setting are matched as authorities as they are
     * ({@code SCOPE_metrics}), not with the default {@code ROLE_} prefix.
     */
    @Bean
    static org.springframework.security.config.core.GrantedAuthorityDefaults grantedAuthorityDefaults() {
        return new org.springframework.security.config.core.GrantedAuthorityDefaults("");
    }

    static final class TokenAuthentication extends AbstractAuthenticationToken {
        private final KnownToken token;

        TokenAuthentication(KnownToken token) {
            super(token.scopes().stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList());
            this.token = token;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return token.name();
        }
    }
}
