package dev.statehouse.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every RFC 9457 problem the service sends is a {@link ProblemDetail} built here and serialized by
 * Jackson with Spring's {@link ProblemDetailJacksonMixin} (the mixin Boot adds to the application's
 * mapper, so MVC's problems and these are the same bytes for the same fields): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, UTF-8. Filters, the security
 * entry points and Tomcat's error valve answer before Spring MVC and write through
 * {@link #write}; {@link ProblemHandler} returns the same objects.
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    private Problems() {
    }

    /** RFC 9457's type for a problem that needs no more than its status: said explicitly, so every problem has all five fields. */
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ABOUT_BLANK);
        problem.setTitle(title);
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        return problem;
    }

    public static byte[] json(ProblemDetail problem) {
        return JSON.writeValueAsBytes(problem);
    }

    /** Writes the problem as the whole response ({@code instance}: the request's path, or null). */
    public static void write(HttpServletResponse response, HttpStatus status, String title, String detail, String instance)
            throws IOException {
        byte[] body = json(of(status, title, detail, safeInstance(instance)));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A request path as a URI reference, or null when it is not one (a path the firewall rejected). */
    static String safeInstance(String path) {
        if (path == null) {
            return null;
        }
        try {
            return URI.create(path).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
