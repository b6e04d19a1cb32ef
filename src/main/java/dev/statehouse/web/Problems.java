package dev.statehouse.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.statehouse.domain.ErrorKind;

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
 * {@code title}, {@code status}, {@code detail}, {@code instance}, UTF-8, and {@code errors} for a
 * validation failure. {@code type} and {@code title} come from the {@link ErrorKind}. Filters, the security
 * entry points and Tomcat's error valve answer before Spring MVC and write through
 * {@link #write}; {@link ProblemHandler} returns the same objects.
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    private Problems() {
    }

    /** One field of a request and what is wrong with it: an element of a validation problem's {@code errors}. */
    public record FieldError(String field, String message) {
    }

    /** A problem of {@code kind}: its {@code type} and {@code title} are the kind's, so a program can branch on {@code type}. */
    public static ProblemDetail of(HttpStatusCode status, ErrorKind kind, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        return problem;
    }

    /** Adds the validation problem's {@code errors}: every field to blame and what is wrong with it. */
    public static ProblemDetail withErrors(ProblemDetail problem, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            problem.setProperty("errors", List.copyOf(errors));
        }
        return problem;
    }

    /** The kind for a status when nothing more is known (the container's error page, Tomcat's refusals). */
    public static ErrorKind kindFor(int status) {
        return switch (status) {
            case 401 -> ErrorKind.UNAUTHORIZED;
            case 403 -> ErrorKind.MISSING_SCOPE;
            case 404 -> ErrorKind.UNKNOWN_PATH;
            case 405 -> ErrorKind.METHOD_NOT_ALLOWED;
            case 406 -> ErrorKind.NOT_ACCEPTABLE;
            case 413 -> ErrorKind.BODY_TOO_LARGE;
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE;
            case 501 -> ErrorKind.METHOD_NOT_IMPLEMENTED;
            case 503 -> ErrorKind.DATABASE_BUSY;
            case 507 -> ErrorKind.DISK_FULL;
            default -> status >= 500 ? ErrorKind.INTERNAL_ERROR : ErrorKind.REQUEST_REJECTED;
        };
    }

    public static byte[] json(ProblemDetail problem) {
        return JSON.writeValueAsBytes(problem);
    }

    /** Writes the problem as the whole response ({@code instance}: the request's path, or null). */
    public static void write(HttpServletResponse response, HttpStatus status, ErrorKind kind, String detail, String instance)
            throws IOException {
        write(response, of(status, kind, detail, safeInstance(instance)));
    }

    /** Writes a problem built by {@link #of} as the whole response. */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        byte[] body = json(problem);
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A request path as a URI reference, or null when it is not one (a path the firewall rejected). */
    public static String safeInstance(String path) {
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
