package dev.statehouse.web;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says in one line what is wrong with a request, in the client's names ({@code snake_case} JSON
 * fields and query parameters), without Java types or stack traces.
 */
final class RequestErrors {

    private RequestErrors() {
    }

    static String describe(BindingResult result) {
        List<String> problems = new ArrayList<>();
        for (FieldError e : result.getFieldErrors()) {
            String field = snake(e.getField());
            // an @AssertTrue rule over several fields says it all in its message
            problems.add("AssertTrue".equals(e.getCode()) ? e.getDefaultMessage() : "field '" + field + "' " + e.getDefaultMessage());
        }
        result.getGlobalErrors().forEach(e -> problems.add(e.getDefaultMessage()));
        return problems.stream().sorted().collect(Collectors.joining("; "));
    }

    static String describe(HandlerMethodValidationException ex) {
        List<String> problems = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            String name = r.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : r.getResolvableErrors()) {
                problems.add("parameter '" + (name == null ? "?" : snake(name)) + "' " + error.getDefaultMessage());
            }
        });
        return problems.isEmpty() ? "a request parameter is not valid" : String.join("; ", problems);
    }

    static String describe(DatabindException e) {
        String field = e.getPath().stream().map(JacksonException.Reference::getPropertyName)
                .filter(n -> n != null).collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field '" + field + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() == java.time.Instant.class) {
            return "field '" + field + "' " + m.getOriginalMessage();
        }
        return "field '" + field + "' has the wrong type or value";
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
