package dev.statehouse.web;

import java.util.List;
import java.util.stream.Collectors;

import dev.statehouse.domain.ErrorKind;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The problem for a failure Spring MVC detects itself (an unknown path, a method or media type the
 * operation does not take, a parameter missing or of the wrong type), said in the client's words:
 * the framework's own texts ("No static resource …", "Failed to convert …") never reach a client.
 */
final class SpringProblems {

    private SpringProblems() {
    }

    static ProblemDetail of(Exception ex, HttpStatusCode status) {
        if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
            return Problems.of(status, ErrorKind.UNKNOWN_PATH, "no operation is served at this path (the API is described at /v3/api-docs)", null);
        }
        if (ex instanceof HttpRequestMethodNotSupportedException m) {
            String allowed = m.getSupportedMethods() == null ? "" : "; allowed: " + String.join(", ", m.getSupportedMethods());
            return Problems.of(status, ErrorKind.METHOD_NOT_ALLOWED, "method " + m.getMethod() + " is not allowed at this path" + allowed, null);
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return Problems.of(status, ErrorKind.UNSUPPORTED_MEDIA_TYPE, "request bodies are JSON (application/json)", null);
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException n) {
            List<MediaType> types = n.getSupportedMediaTypes();
            return Problems.of(status, ErrorKind.NOT_ACCEPTABLE, "the Accept header allows none of the types this operation answers with"
                    + (types.isEmpty() ? "" : " (" + types.stream().map(MediaType::toString).collect(Collectors.joining(", ")) + ")"), null);
        }
        if (ex instanceof MethodArgumentTypeMismatchException t) {
            return invalid(status, RequestErrors.error(t, t.getName()));
        }
        if (ex instanceof TypeMismatchException t) {
            return invalid(status, RequestErrors.error(t, t.getPropertyName()));
        }
        if (ex instanceof MissingServletRequestParameterException p) {
            return invalid(status, new Problems.FieldError(p.getParameterName(), "is required"));
        }
        if (ex instanceof MissingRequestHeaderException h) {
            return invalid(status, new Problems.FieldError(h.getHeaderName(), "is required"));
        }
        ErrorKind kind = Problems.kindFor(status.value());
        return Problems.of(status, kind, status.is5xxServerError() ? "the request could not be completed" : "the request was rejected", null);
    }

    private static ProblemDetail invalid(HttpStatusCode status, Problems.FieldError error) {
        return Problems.withErrors(Problems.of(status, ErrorKind.INVALID_REQUEST, RequestErrors.detail(List.of(error)), null), List.of(error));
    }
}
