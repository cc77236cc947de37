package dev.bulkload.security;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCatalog;
import dev.bulkload.catalog.TablesProperties;

/**
 * Answers who the caller is and what it may load ({@code GET /api/v1/me}): for a page or a client to show whose
 * credentials were accepted, for which tables, before it sends anything. Open without credentials (the answer then
 * says so); wrong credentials are a 401 from the security filters, as everywhere.
 */
@RestController
@Tag(name = "Caller", description = "Who you are and what you may load")
class CallerController {

    private final TableGrants grants;

    private final TableCatalog catalog;

    private final TablesProperties tables;

    CallerController(TableGrants grants, TableCatalog catalog, TablesProperties tables) {
        this.grants = grants;
        this.catalog = catalog;
        this.tables = tables;
    }

    @GetMapping("/api/v1/me")
    @Operation(summary = "Who you are and which tables you may load and create", description = """
            `authenticated`: whether your credentials (X-API-Key, or a bearer token) were accepted; `caller` your \
            name (`key:<name>`, `jwt:<subject>`), `role` the database role your loads run as (null: the \
            service's user). `tables`: the loadable tables you may load, by the grants a load checks \
            (`bulkload:load:` scopes, an API key's `tables`); `createTables`: the globs of tables you may create \
            with create=true (`bulkload:create:` scopes, an API key's `create-tables`). Without credentials: \
            `authenticated` false, and with security on no tables; in open mode (security off) every loadable \
            table, and the allow-list's globs to create. Wrong credentials: 401.""")
    @ApiResponse(responseCode = "200", description = "The caller and its grants",
            content = @Content(schema = @Schema(implementation = CallerResponse.class)))
    @ApiResponse(responseCode = "401", description = "A wrong API key, or a bad or expired token",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "forbidden-role-claim: the token's role claim is not one "
            + "non-empty string", content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    CallerResponse me() {
        boolean authenticated = this.grants.authenticated();
        if (this.grants.enabled() && !authenticated) {
            return new CallerResponse(true, false, null, null, List.of(), List.of());
        }
        List<String> loadable = this.catalog.tables()
            .stream()
            .filter(this.grants::mayLoadInto)
            .map(LoadableTable::qualifiedName)
            .toList();
        if (!this.grants.enabled()) {
            return new CallerResponse(false, false, null, null, loadable, this.tables.include());
        }
        return new CallerResponse(true, true, this.grants.callerName(), this.grants.callerRole(), loadable,
                this.grants.createGlobs());
    }
}
