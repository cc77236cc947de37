package dev.bulkload.security;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares both schemes in the OpenAPI document, so Swagger UI's "Authorize" offers them, and requires one on
 * the API; with security off the document stays as it was.
 */
@Configuration(proxyBeanMethods = false)
class SecurityOpenApi {

    static final String BEARER = "bearer-jwt";

    static final String API_KEY = "api-key";

    /**
     * Swagger UI renders descriptions as Markdown with HTML: the scope patterns go in code spans, or
     * {@code <schema>} and {@code <table glob>} would be taken for tags and vanish.
     */
    static final String BEARER_DESCRIPTION = "A JWT whose scopes grant tables: `bulkload:load:<schema>.<table glob>` "
            + "(load into and read the loads of matching tables), `bulkload:create:<schema>.<table glob>` (create "
            + "matching tables with create=true), `bulkload:read` (read every table and load)";

    @Bean
    OpenApiCustomizer securitySchemes(SecurityProperties properties) {
        return (openApi) -> {
            if (!properties.enabled()) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("JWT")
                    .description(BEARER_DESCRIPTION))
                .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER)
                    .name(ApiKeyFilter.HEADER)
                    .description("An API key configured (as its SHA-256) in `bulkload.security.api-keys`, with its `tables` "
                            + "(and `create-tables`) globs"));
            // either scheme will do: two requirements, each naming one
            List<SecurityRequirement> either = List.of(new SecurityRequirement().addList(BEARER),
                    new SecurityRequirement().addList(API_KEY));
            if (openApi.getPaths() != null) {
                openApi.getPaths()
                    .entrySet()
                    .stream()
                    .filter((path) -> path.getKey().startsWith("/api/"))
                    .flatMap((path) -> path.getValue().readOperations().stream())
                    .forEach((operation) -> operation.setSecurity(either));
            }
        };
    }
}
