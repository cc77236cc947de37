package dev.bulkload.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title and description; operations describe themselves. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String MULTIPART = "multipart/form-data";

    private static final String SCHEMA_REF_PREFIX = "#/components/schemas/";

    /** The tags whose place is fixed, in that order. */
    static final List<String> TAG_ORDER = List.of("Loads", "Load registry", "Tables");

    @Bean
    OpenAPI bulkLoaderOpenApi() {
        return new OpenAPI().info(new Info().title("bulk-loader")
            .version("v1")
            .description("Streams CSV, JSON arrays and NDJSON into PostgreSQL with COPY or JDBC batches, "
                    + "in transactions, and reports what happened to every row. Errors are RFC 9457 problems."));
    }

    /**
     * Gives every multipart form an example of its fields left empty. Swagger UI takes a form that differs from the
     * example as edited by the user and keeps it when the body's media type is switched, so that choosing
     * {@code text/csv} after opening the upload form showed the form's state as JSON instead of the CSV example.
     */
    @Bean
    OpenApiCustomizer emptyFormExamples() {
        return (openApi) -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach((path) -> path.readOperations().forEach((operation) -> {
                if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
                    return;
                }
                MediaType form = operation.getRequestBody().getContent().get(MULTIPART);
                Schema<?> schema = (form != null) ? resolve(openApi, form.getSchema()) : null;
                if (schema != null && schema.getProperties() != null && form.getExample() == null) {
                    Map<String, String> empty = new LinkedHashMap<>();
                    schema.getProperties().keySet().forEach((field) -> empty.put(field, ""));
                    form.setExample(empty);
                }
            }));
        };
    }

    /**
     * The problems' {@code traceId}, which {@link ProblemTraceIds} adds to every problem: Spring's
     * {@code ProblemDetail} does not declare it, so its schema gets it here.
     */
    @Bean
    OpenApiCustomizer problemTraceId() {
        return (openApi) -> {
            Schema<?> problem = (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null)
                    ? openApi.getComponents().getSchemas().get("ProblemDetail") : null;
            if (problem != null) {
                problem.addProperty(ProblemTraceIds.PROPERTY, new StringSchema().pattern("^[0-9a-f]{32}$")
                    .description("The W3C trace id of the request's trace (32 hex digits): it names the request's "
                            + "spans, its log lines and, for a load, its registry row. Absent when the request "
                            + "has no trace (refused before any filter ran, e.g. at admission)"));
            }
        };
    }

    /**
     * Tags in the order a new user needs them: loading first, then following loads, then the tables; any other
     * tag after those, as springdoc found it. Swagger UI shows tags in the document's order.
     */
    @Bean
    OpenApiCustomizer tagOrder() {
        return (openApi) -> {
            if (openApi.getTags() == null) {
                return;
            }
            List<Tag> tags = new ArrayList<>(openApi.getTags());
            tags.sort(Comparator.comparingInt((Tag tag) -> {
                int index = TAG_ORDER.indexOf(tag.getName());
                return (index >= 0) ? index : TAG_ORDER.size();
            }));
            openApi.setTags(tags);
        };
    }

    private static Schema<?> resolve(OpenAPI openApi, Schema<?> schema) {
        if (schema == null || schema.get$ref() == null || !schema.get$ref().startsWith(SCHEMA_REF_PREFIX)
                || openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return schema;
        }
        return openApi.getComponents().getSchemas().get(schema.get$ref().substring(SCHEMA_REF_PREFIX.length()));
    }
}
