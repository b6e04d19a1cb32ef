package dev.statehouse.web;


import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}):
 * the bearer scheme, the scope each operation needs ({@code x-scope}), and the RFC 9457 problem
 * every error response carries. Served without a token: it describes the API and holds no data.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI statehouseApi(ObjectProvider<BuildProperties> build) {
        BuildProperties b = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("Statehouse API").version(b == null ? "dev" : b.getVersion())
                        .description("State of an AI-agent platform: sessions with lineage, a kanban board with a claim/lease worker"
                                + " protocol, and plan checkpoints of SQLite resources. Lists share one shape (items, next_cursor, and a"
                                + " Link rel=\"next\" header); polled lists answer If-None-Match with 304. Errors are RFC 9457 problems.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API token: Authorization: Bearer <token>. Scopes: read (GET), write (every other"
                                        + " method), metrics (actuator). The operation's x-scope names the one it needs.")))
                // relative: the spec is valid on whichever host serves it, and docs/openapi.json does not change per run
                .servers(java.util.List.of(new io.swagger.v3.oas.models.servers.Server().url("/")
                        .description("the server that serves this document")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /** Every operation: the scope it needs and the problems it can answer with. */
    @Bean
    OpenApiCustomizer problemsAndScopes() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, new ObjectSchema().description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().example("about:blank"))
                    .addProperty("title", new StringSchema().example("Invalid request"))
                    .addProperty("status", new IntegerSchema().example(400))
                    .addProperty("detail", new StringSchema().example("field 'source' must not be blank"))
                    .addProperty("instance", new StringSchema().example("/api/sessions")));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> operation(path, method, op)));
        };
    }

    private static void operation(String path, PathItem.HttpMethod method, Operation op) {
        boolean read = method == PathItem.HttpMethod.GET || path.endsWith("/events/tickets");
        op.addExtension("x-scope", read ? "read" : "write");
        problem(op, "400", "the request is malformed (a body, parameter or identifier that breaks its rules)");
        problem(op, "401", "no token, or a token that is not valid");
        problem(op, "403", "the token lacks the scope (x-scope) this operation needs");
        if (path.contains("{")) {
            problem(op, "404", "what the path names does not exist");
        }
        if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.DELETE) {
            problem(op, "409", "the request contradicts the current state");
            problem(op, "413", "the body is larger than statehouse.http.max-body-bytes");
            problem(op, "415", "the body is not application/json");
            problem(op, "422", "well-formed, but names something that cannot be used for this");
            problem(op, "507", "the database's file system is full; nothing was written (Retry-After)");
        }
        problem(op, "503", "busy (a lock, the write queue, descriptors): retry after Retry-After");
    }

    /**
     * Schemas named as clients see them: swagger-core reads types with its own (Jackson 2) mapper,
     * which must use the application's snake_case naming too.
     */
    @Bean
    io.swagger.v3.core.jackson.ModelResolver snakeCaseModels() {
        return new io.swagger.v3.core.jackson.ModelResolver(io.swagger.v3.core.util.Json.mapper().copy()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE));
    }

    private static void problem(Operation op, String code, String description) {
        if (op.getResponses().containsKey(code)) {
            return;
        }
        Schema<?> ref = new Schema<>().$ref("#/components/schemas/" + PROBLEM);
        op.getResponses().addApiResponse(code, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json", new MediaType().schema(ref))));
    }

}
