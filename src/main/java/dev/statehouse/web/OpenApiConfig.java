package dev.statehouse.web;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.statehouse.domain.ErrorKind;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.headers.Header;
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
import org.springdoc.core.customizers.OperationCustomizer;
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

    /** Problems every operation can answer with, whatever it does. */
    static final List<ErrorKind> EVERY_OPERATION = List.of(ErrorKind.INVALID_REQUEST, ErrorKind.REQUEST_REJECTED, ErrorKind.UNAUTHORIZED,
            ErrorKind.MISSING_SCOPE, ErrorKind.NOT_ACCEPTABLE, ErrorKind.DATABASE_BUSY, ErrorKind.DATABASE_UNAVAILABLE,
            ErrorKind.OUT_OF_DESCRIPTORS, ErrorKind.DATABASE_ERROR, ErrorKind.INTERNAL_ERROR);
    /** ... and those that send a body. */
    static final List<ErrorKind> WITH_A_BODY = List.of(ErrorKind.MALFORMED_BODY, ErrorKind.BODY_TOO_LARGE, ErrorKind.UNSUPPORTED_MEDIA_TYPE);

    /**
     * Per operation, from its handler: the scope it needs ({@code x-scope}), the problems it can
     * answer with under their statuses (each listing its {@code type}s, also as
     * {@code x-problem-types}), the 304 and headers of a conditional GET, {@code Location} on a 201,
     * and {@code application/json} where the default was {@code *}{@code /*}.
     */
    @Bean
    OperationCustomizer answersOfEachOperation() {
        return (op, handler) -> {
            List<ErrorKind> kinds = new ArrayList<>(EVERY_OPERATION);
            if (op.getRequestBody() != null) {
                kinds.addAll(WITH_A_BODY);
            }
            CanFail declared = handler.getMethodAnnotation(CanFail.class);
            if (declared != null) {
                kinds.addAll(List.of(declared.value()));
            }
            if (handler.hasMethodAnnotation(org.springframework.web.bind.annotation.PostMapping.class)
                    || handler.hasMethodAnnotation(org.springframework.web.bind.annotation.PatchMapping.class)
                    || handler.hasMethodAnnotation(org.springframework.web.bind.annotation.DeleteMapping.class)) {
                kinds.add(ErrorKind.DISK_FULL);
            }
            Map<Integer, List<ErrorKind>> byStatus = new TreeMap<>();
            for (ErrorKind kind : kinds) {
                List<ErrorKind> same = byStatus.computeIfAbsent(ProblemStatuses.of(kind).value(), s -> new ArrayList<>());
                if (!same.contains(kind)) {
                    same.add(kind);
                }
            }
            byStatus.forEach((status, of) -> problems(op, status, of));
            if (handler.hasMethodAnnotation(Conditional.class)) {
                conditional(op);
            }
            op.getResponses().forEach((code, response) -> {
                Content content = response.getContent();
                if (content != null && content.containsKey("*/*")) {
                    MediaType json = content.remove("*/*");
                    content.addMediaType("application/json", json);
                }
                if (code.equals("201")) {
                    response.addHeaderObject("Location", new Header().description("the URL of what was made (a relative reference)")
                            .schema(new StringSchema()));
                }
            });
            return op;
        };
    }

    private static void problems(Operation op, int status, List<ErrorKind> kinds) {
        String code = Integer.toString(status);
        StringBuilder description = new StringBuilder("a problem of type ");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            description.append(i == 0 ? "" : i == kinds.size() - 1 ? " or " : ", ").append('`').append(kinds.get(i).slug()).append('`');
            types.add(kinds.get(i).type().toString());
        }
        description.append(" (").append(ErrorKind.BASE).append("…; HELP.md lists what each means)");
        if (status == 503 || status == 507) {
            description.append("; Retry-After says when to try again");
        }
        Schema<?> ref = new Schema<>().$ref("#/components/schemas/" + PROBLEM);
        ApiResponse response = new ApiResponse().description(description.toString())
                .content(new Content().addMediaType("application/problem+json", new MediaType().schema(ref)));
        response.addExtension("x-problem-types", types);
        if (status == 503 || status == 507) {
            response.addHeaderObject("Retry-After", new Header().description("seconds to wait").schema(new IntegerSchema()));
        }
        if (status == 401) {
            response.addHeaderObject("WWW-Authenticate", new Header().description("Bearer realm=\"statehouse\"").schema(new StringSchema()));
        }
        op.getResponses().addApiResponse(code, response);
    }

    private static void conditional(Operation op) {
        op.addParametersItem(new io.swagger.v3.oas.models.parameters.HeaderParameter().name("If-None-Match").required(false)
                .description("the ETag of a page read before: 304 while it is still current").schema(new StringSchema()));
        ApiResponse ok = op.getResponses().get("200");
        if (ok != null) {
            ok.addHeaderObject("ETag", new Header().description("a strong validator of this page: \"scope-epoch.version-selection\"")
                    .schema(new StringSchema()));
            ok.addHeaderObject("Cache-Control", new Header().description("no-cache: revalidate with If-None-Match").schema(new StringSchema()));
        }
        op.getResponses().addApiResponse("304", new ApiResponse().description("Not Modified: the ETag sent is still current; no body")
                .addHeaderObject("ETag", new Header().description("the same ETag").schema(new StringSchema())));
    }

    /** The document as a whole: the problem schema, the scope of each operation, and no {@code /error}. */
    @Bean
    OpenApiCustomizer problemsAndScopes() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, new ObjectSchema().description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().format("uri").example(ErrorKind.LEASE_LOST.type().toString())
                            .description("what kind of failure: one of HELP.md's problem types; branch on this"))
                    .addProperty("title", new StringSchema().example(ErrorKind.LEASE_LOST.title()).description("the type's title"))
                    .addProperty("status", new IntegerSchema().example(409))
                    .addProperty("detail", new StringSchema().example("the claim lock does not match (the lease may have been reclaimed)")
                            .description("for people; may change"))
                    .addProperty("instance", new StringSchema().example("/api/tasks/t_0123456789abcdef/heartbeat"))
                    .addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().description("invalid-request only: each field"
                                    + " to blame (as the client named it: JSON field, query parameter or header) and what is wrong with it")
                            .items(new ObjectSchema().addProperty("field", new StringSchema().nullable(true))
                                    .addProperty("message", new StringSchema())))
                    .addProperty("scope", new StringSchema().description("missing-scope only: the scope the request needs")
                            ._enum(List.of("read", "write", "metrics")))
                    .required(List.of("type", "title", "status")));
            api.getComponents().getSchemas().remove("ProblemDetail");
            OpenApiSchemas.apply(api);
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                boolean read = method == PathItem.HttpMethod.GET || path.endsWith("/events/tickets");
                op.addExtension("x-scope", read ? "read" : "write");
            }));
        };
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


}
