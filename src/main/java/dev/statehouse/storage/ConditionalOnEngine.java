package dev.statehouse.storage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/** A bean that exists only on one {@link Engine}, as {@code spring.datasource.url} names it. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnEngineCondition.class)
public @interface ConditionalOnEngine {
    Engine value();
}
