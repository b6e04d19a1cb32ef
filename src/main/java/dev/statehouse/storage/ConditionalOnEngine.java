package dev.statehouse.storage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A bean that exists only on one {@link Engine}, as {@code spring.datasource.url} names it: how each
 * engine's implementation of a strategy is selected (and the only way; no bean is told the engine).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnEngine.OnEngine.class)
public @interface ConditionalOnEngine {

    Engine value();

    /** Matches when {@code spring.datasource.url} names the engine of {@link ConditionalOnEngine}. */
    class OnEngine implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnEngine.class.getName());
            if (attributes == null) {
                return true;
            }
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return Engine.fromJdbcUrl(url) == attributes.get("value");
        }
    }
}
