package dev.statehouse.storage;

import java.util.Map;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code spring.datasource.url} names the engine of {@link ConditionalOnEngine}. */
class OnEngineCondition implements Condition {

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
