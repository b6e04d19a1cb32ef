package dev.statehouse.domain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text that SQLite stores as the client sent it: at most {@link #maxBytes()} UTF-8 bytes, no NUL,
 * no lone surrogate ({@link Text}). Null is valid (pair with {@code @NotNull}/{@code @NotBlank}).
 * Standard {@code @Size} counts UTF-16 units, not bytes, hence this constraint.
 */
@Documented
@Constraint(validatedBy = CleanText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface CleanText {

    int maxBytes();

    String message() default "must be text of at most {maxBytes} UTF-8 bytes without NUL characters or lone surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link Text#problem} and reports its exact reason. */
    class Validator implements ConstraintValidator<CleanText, String> {

        private int maxBytes;

        @Override
        public void initialize(CleanText annotation) {
            maxBytes = annotation.maxBytes();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String problem = Text.problem(value, maxBytes);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
