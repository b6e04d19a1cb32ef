package dev.statehouse.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The document's schemas as strict as the server and as true as its answers: request objects
 * closed ({@code additionalProperties: false}), patterns anchored, enums without repeats, maps and
 * raw JSON fields as any JSON value, the 204 and 304 without a body, and the legacy
 * {@code ttlSeconds} said. The API suites hold every exchange against the result.
 */
final class OpenApiSchemas {

    private OpenApiSchemas() {
    }

    /** What the parameters many operations share mean, where the handler says nothing itself. */
    private static final Map<String, String> PARAMETERS = Map.ofEntries(
            Map.entry("cursor", "the next_cursor of the previous page, passed back as it came (opaque); one of another list is 400"),
            Map.entry("limit", "the most items on the page"),
            Map.entry("Last-Event-ID", "the id of the last event received (digits, or digits.digits): the stream resumes after it,"
                    + " or sends one reload event when more than statehouse.kanban.max-replay events were missed"),
            Map.entry("after", "an event id to resume after, for a client that cannot send Last-Event-ID (0: every kept event)"),
            Map.entry("include_archived", "list archived ones too"),
            Map.entry("include_empty", "list sessions without messages too"),
            Map.entry("include_background", "list sessions of background sources too (statehouse.sessions.background-sources: cron, webhook, kanban)"),
            Map.entry("status", "only tasks of this status"),
            Map.entry("assignee", "only tasks assigned to this worker or person"),
            Map.entry("id", "the id (letters, digits, _ and -, at most 64)"),
            Map.entry("slug", "the board's slug (lower-case letters, digits, _ and -, at most 64)"),
            Map.entry("cp", "the checkpoint's id"),
            Map.entry("messageId", "the message's id (a number)"),
            Map.entry("parentId", "the parent task's id"));

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void apply(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        schemas.values().forEach(OpenApiSchemas::legacyNames);
        schemas.values().forEach(OpenApiSchemas::tighten);
        anyJson(schemas.get("TaskEvent"), "payload", "object");
        anyJson(schemas.get("Message"), "tool_calls", null); // as stored: imported text is kept as a JSON string
        // a JSON array or object: said in words, since 3.0's anyOf of the two makes generated clients unusable
        anyJson(schemas.get("AppendMessage"), "tool_calls", null);
        Schema<?> append = schemas.get("AppendMessage");
        if (append != null && append.getProperties() != null && append.getProperties().get("tool_calls") != null) {
            append.getProperties().get("tool_calls").description("the tool calls: a JSON array or object (any other JSON is 400), at most 256 KiB");
        }
        Set<String> requestBodies = new TreeSet<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
            if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                op.getRequestBody().getContent().values().forEach(m -> {
                    if (m.getSchema() != null && m.getSchema().get$ref() != null) {
                        requestBodies.add(m.getSchema().get$ref().substring(m.getSchema().get$ref().lastIndexOf('/') + 1));
                    }
                });
            }
            if (op.getParameters() != null) {
                op.getParameters().forEach(parameter -> {
                    anchor(parameter.getSchema());
                    if (parameter.getDescription() == null) {
                        parameter.setDescription(PARAMETERS.get(parameter.getName()));
                    }
                });
            }
            op.getResponses().forEach((code, response) -> {
                if (code.equals("204") || code.equals("304")) {
                    response.setContent(null);
                } else if (response.getContent() != null) {
                    response.getContent().values().forEach(m -> tighten(m.getSchema()));
                }
            });
        }));
        requestBodies.forEach(name -> closed(schemas.get(name), !name.startsWith("Update")));
        boardEvents(api);
        dropUnused(api);
    }

    /** The event stream's events: every task event as a TaskEvent, and the one {@code reload} of a watcher too far behind. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void boardEvents(OpenAPI api) {
        api.getComponents().addSchemas("BoardReload", new ObjectSchema()
                .description("data of a `reload` event: more than statehouse.kanban.max-replay events were missed; reload the board,"
                        + " then keep reading (the stream goes on after resumes_after)")
                .addProperty("board", new io.swagger.v3.oas.models.media.StringSchema())
                .addProperty("missed_after", new io.swagger.v3.oas.models.media.StringSchema().description("the Last-Event-ID sent"))
                .addProperty("resumes_after", new io.swagger.v3.oas.models.media.StringSchema().description("this event's id"))
                .addProperty("detail", new io.swagger.v3.oas.models.media.StringSchema())
                .required(List.of("board", "missed_after", "resumes_after", "detail")));
        var item = api.getPaths().get("/api/boards/{slug}/events");
        if (item != null && item.getGet() != null) {
            var ok = item.getGet().getResponses().get("200");
            ok.addExtension("x-sse-events", Map.of(
                    "*", Map.of("$ref", "#/components/schemas/TaskEvent", "description", "every task event, named by its kind"),
                    "reload", Map.of("$ref", "#/components/schemas/BoardReload")));
        }
    }

    /** Schemas nothing refers to any more (the Jackson and Spring types the defaults named) are dropped. */
    private static void dropUnused(OpenAPI api) {
        boolean dropped = true;
        while (dropped) {
            String document = io.swagger.v3.core.util.Json.pretty(api);
            dropped = api.getComponents().getSchemas().keySet().removeIf(name -> !name.equals("Problem") && !name.equals("BoardReload")
                    && !document.contains("\"#/components/schemas/" + name + "\""));
        }
    }

    /** {@code ttlSeconds}, the name the first clients used, is still read: said, and marked deprecated. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void legacyNames(Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null && properties.containsKey("ttl_seconds") && !properties.containsKey("ttlSeconds")) {
            Schema<?> ttl = properties.get("ttl_seconds");
            properties.put("ttlSeconds", new IntegerSchema().format(ttl.getFormat()).minimum(ttl.getMinimum()).maximum(ttl.getMaximum())
                    .deprecated(true).description("the same as ttl_seconds (an earlier name, still read)"));
        }
    }

    /**
     * Enums without repeats,
     * patterns anchored (JSON Schema's {@code pattern} matches anywhere), maps of any JSON value.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void tighten(Schema schema) {
        if (schema == null) {
            return;
        }
        anchor(schema);
        if (schema.getEnum() != null) { // JSON Schema wants each value once
            schema.setEnum(new ArrayList<>(new java.util.LinkedHashSet<>(schema.getEnum())));
        }
        if (schema.getAdditionalProperties() instanceof Schema extra && "object".equals(extra.getType()) && extra.getProperties() == null
                && extra.get$ref() == null) {
            schema.setAdditionalProperties(true); // Map<String, Object>: any JSON value
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(OpenApiSchemas::tighten);
        }
        if (schema.getItems() != null) {
            tighten(schema.getItems());
        }
    }

    private static void anchor(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        String pattern = schema.getPattern();
        if (pattern != null && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
            schema.setPattern("^(?:" + pattern + ")$");
        }
        if (schema.getItems() != null) {
            anchor(schema.getItems());
        }
    }

    /** A property that holds any JSON value (of {@code type} when given), or null. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void anyJson(Schema schema, String property, String type) {
        if (schema == null || schema.getProperties() == null || !schema.getProperties().containsKey(property)) {
            return;
        }
        Schema old = (Schema) schema.getProperties().get(property);
        Schema any = new Schema<>().description(old.getDescription()).nullable(true);
        if (type != null) {
            any.type(type).additionalProperties(true);
        }
        schema.getProperties().put(property, any);
    }

    /**
     * A request body's object as strict as the server: no field beyond those listed, and (for a
     * create, whose optional fields mean "not given" when null) null accepted where the field is optional.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void closed(Schema schema, boolean optionalMayBeNull) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        schema.setType("object");
        schema.setAdditionalProperties(false);
        if (optionalMayBeNull) {
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            ((Map<String, Schema>) schema.getProperties()).forEach((name, property) -> {
                if (!required.contains(name)) {
                    property.setNullable(true);
                }
            });
        }
    }

}
