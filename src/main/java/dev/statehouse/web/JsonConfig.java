package dev.statehouse.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.statehouse.storage.Timestamps;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly, so a typed request record sees only what its fields say:
 * unknown properties, duplicate keys and trailing tokens are errors, and no scalar is coerced
 * into another ({@code "12"} is not a number, {@code 5} is not a string, {@code 1.5} and
 * {@code 1e2} are not integers, {@code 1} is not {@code true}). Each becomes a 400 problem that
 * names the field ({@link ProblemHandler}). Instants are read as ISO-8601 text or epoch seconds.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfig {

    @Bean
    JsonMapperBuilderCustomizer strictRequests() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfigDefaults(all -> all.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .addModule(new SimpleModule("statehouse-instants").addDeserializer(Instant.class, new InstantReader()));
    }

    /** An instant as ISO-8601 text ({@code 2026-01-31T12:00:00Z}) or epoch seconds, from 1970 to 9999. */
    static final class InstantReader extends ValueDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            Instant instant;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double seconds = p.getDoubleValue();
                if (!Double.isFinite(seconds) || seconds < 0 || seconds > Timestamps.MAX_EPOCH_SECONDS) {
                    throw MismatchedInputException.from(p, Instant.class, "is out of range");
                }
                return Timestamps.fromEpoch(seconds);
            }
            if (token != JsonToken.VALUE_STRING) {
                throw MismatchedInputException.from(p, Instant.class, "must be an ISO-8601 string or epoch seconds");
            }
            try {
                instant = Instant.parse(p.getString());
            } catch (DateTimeParseException e) {
                throw MismatchedInputException.from(p, Instant.class, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
            if (instant.isBefore(Instant.EPOCH) || instant.getEpochSecond() > Timestamps.MAX_EPOCH_SECONDS) {
                throw MismatchedInputException.from(p, Instant.class, "is out of range");
            }
            return instant;
        }
    }
}
