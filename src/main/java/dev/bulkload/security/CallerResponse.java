package dev.bulkload.security;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Who the caller is and what it may load ({@code GET /api/v1/me}).
 * @param securityEnabled whether callers must authenticate here; false in open mode, where anyone may load
 * @param authenticated whether the request's credentials were accepted
 * @param caller the caller's name, namespaced by how it authenticated ({@code key:orders-feed}, {@code jwt:alice});
 * null when it did not
 * @param role the database role its loads run as (its API key's role, or the JWT role claim); null for the
 * service's own user
 * @param tables the loadable tables it may load, {@code schema.name}, by the same grants a load checks
 * @param createTables the {@code schema.table} globs of tables it may create with {@code create=true}; in open mode
 * the allow-list's ({@code bulkload.tables.include})
 */
public record CallerResponse(boolean securityEnabled, boolean authenticated,
        @Schema(example = "key:orders-feed", nullable = true) String caller,
        @Schema(example = "orders_loader", nullable = true) String role,
        @Schema(example = "[\"public.users\"]") List<String> tables,
        @Schema(example = "[\"public.*\"]") List<String> createTables) {

    public CallerResponse {
        tables = List.copyOf(tables);
        createTables = List.copyOf(createTables);
    }
}
