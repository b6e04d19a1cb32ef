package dev.statehouse.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with a request, field by field, in the client's names ({@code snake_case}
 * JSON fields, query parameters and headers as sent), without Java types, parameter names or stack
 * traces: the {@code errors} of a validation problem and its one-line {@code detail}.
 */
final class RequestErrors {

    /** An {@code @AssertTrue} rule's message that starts with the field it is about ("title must not be blank"). */
    private static final java.util.regex.Pattern LEADING_FIELD = java.util.regex.Pattern.compile("^([a-z][a-z0-9_]*) (must|is|needs) ");

    private RequestErrors() {
    }

    /** The errors of a request body's record: its fields, and rules over several fields. */
    static List<Problems.FieldError> errors(Errors result) {
        List<Problems.FieldError> out = new ArrayList<>();
        for (FieldError e : result.getFieldErrors()) {
            if ("AssertTrue".equals(e.getCode())) { // a rule over several fields says it all in its message
                out.add(rule(e.getDefaultMessage()));
            } else {
                out.add(new Problems.FieldError(snake(e.getField()), e.getDefaultMessage()));
            }
        }
        result.getGlobalErrors().forEach(e -> out.add(rule(e.getDefaultMessage())));
        return sorted(out);
    }

    /**
     * The errors of a handler's parameters: a body validated as a parameter reports its fields
     * (never the Java parameter's name), a query parameter or header its own name.
     */
    static List<Problems.FieldError> errors(HandlerMethodValidationException ex) {
        List<Problems.FieldError> out = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            if (r instanceof Errors fields) {
                out.addAll(errors(fields));
                return;
            }
            String name = clientName(r.getMethodParameter());
            for (MessageSourceResolvable error : r.getResolvableErrors()) {
                if (error instanceof FieldError f) {
                    out.add(new Problems.FieldError(snake(f.getField()), f.getDefaultMessage()));
                } else {
                    out.add(new Problems.FieldError(name, error.getDefaultMessage()));
                }
            }
        });
        return sorted(out);
    }

    /** A body field Jackson could not read: unknown, or of the wrong type. */
    static Problems.FieldError error(DatabindException e) {
        String field = field(e);
        if (e instanceof UnrecognizedPropertyException) {
            return new Problems.FieldError(field, "is not a known field");
        }
        if (e instanceof MismatchedInputException m && (m.getTargetType() == Instant.class || m.getTargetType() == OffsetDateTime.class)) {
            return new Problems.FieldError(field, "must be an RFC 3339 timestamp such as 2026-01-02T03:04:05Z");
        }
        return new Problems.FieldError(field, "has the wrong type or value");
    }

    /** The body field a Jackson failure is about ({@code a.b} for a nested one). */
    static String field(DatabindException e) {
        return e.getPath().stream().map(JacksonException.Reference::getPropertyName)
                .filter(n -> n != null).collect(Collectors.joining("."));
    }

    /** A path or query parameter of the wrong type ({@code limit=ten}). */
    static Problems.FieldError error(TypeMismatchException e, String name) {
        Class<?> type = e.getRequiredType();
        String expected;
        if (type == null) {
            expected = "a valid value";
        } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            expected = "an integer";
        } else if (type == Boolean.class || type == boolean.class) {
            expected = "true or false";
        } else if (type == Instant.class || type == OffsetDateTime.class) {
            expected = "an RFC 3339 timestamp such as 2026-01-02T03:04:05Z";
        } else {
            expected = "a valid value";
        }
        return new Problems.FieldError(name == null ? "?" : snake(name), "must be " + expected);
    }

    /** One line for the problem's {@code detail}: every error, in a stable order. */
    static String detail(List<Problems.FieldError> errors) {
        if (errors.isEmpty()) {
            return "the request is not valid";
        }
        return errors.stream().map(e -> e.field() == null ? e.message() : "field '" + e.field() + "' " + e.message())
                .collect(Collectors.joining("; "));
    }

    private static Problems.FieldError rule(String message) {
        Matcher m = LEADING_FIELD.matcher(message == null ? "" : message);
        return m.find() ? new Problems.FieldError(m.group(1), message.substring(m.group(1).length() + 1))
                : new Problems.FieldError(null, message);
    }

    private static String clientName(org.springframework.core.MethodParameter p) {
        var header = p.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        var param = p.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        String name = p.getParameterName();
        return name == null ? "?" : snake(name);
    }

    private static List<Problems.FieldError> sorted(List<Problems.FieldError> errors) {
        errors.sort(Comparator.comparing((Problems.FieldError e) -> e.field() == null ? "" : e.field())
                .thenComparing(e -> e.message() == null ? "" : e.message()));
        return errors;
    }

    /** {@code userId} → {@code user_id}; the JSON names are snake_case. */
    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
