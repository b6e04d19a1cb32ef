package dev.statehouse.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request shapes the API never takes before anything parses them, each with a problem+json
 * 4xx: a query string with more than {@code statehouse.http.max-query-parameters} parameters (400),
 * and a form or multipart body (415: the API takes JSON only). Tomcat would otherwise parse such a
 * request's parameters on first access and fail with an exception (a 500) or its own HTML page.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestShapeFilter extends OncePerRequestFilter {

    private final int maxQueryParameters;

    public RequestShapeFilter(@Value("${statehouse.http.max-query-parameters:64}") int maxQueryParameters) {
        this.maxQueryParameters = maxQueryParameters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && parameters(query) > maxQueryParameters) {
            Problems.write(response, HttpStatus.BAD_REQUEST, "Too many query parameters",
                    "at most " + maxQueryParameters + " query parameters are accepted", request.getRequestURI());
            return;
        }
        String type = request.getContentType();
        if (type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                || type.regionMatches(true, 0, "multipart/", 0, 10))) {
            Problems.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "request bodies are JSON (application/json)", request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }

    private static int parameters(String query) {
        int n = 1;
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '&' || query.charAt(i) == ';') {
                n++;
            }
        }
        return n;
    }
}
