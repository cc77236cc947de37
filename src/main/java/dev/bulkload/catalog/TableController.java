package dev.bulkload.catalog;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Lists the tables that may be loaded (read afresh), and makes loads read their definitions again. */
@RestController
@RequestMapping("/api/v1/tables")
@Tag(name = "Tables", description = "The tables this service may load")
class TableController {

    private final TableCatalog catalog;

    private final TableCache cache;

    private final TableVisibility visibility;

    TableController(TableCatalog catalog, TableCache cache, TableVisibility visibility) {
        this.catalog = catalog;
        this.cache = cache;
        this.visibility = visibility;
    }

    @PostMapping("/refresh")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Read the tables' definitions again",
            description = "Loads reuse a table's definition (columns, keys, constraints, privileges) for "
                    + "bulkload.tables.cache-refresh (5s); after a migration, this makes the next load into every "
                    + "table read it again at once. Needs a load scope or the bulkload:read scope.")
    @ApiResponse(responseCode = "204", description = "Every cached definition is forgotten")
    @ApiResponse(responseCode = "403", description = "The caller holds neither a load scope nor bulkload:read",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    void refresh() {
        this.cache.refresh();
    }

    @GetMapping
    @Operation(summary = "List the loadable tables",
            description = "Tables matching bulkload.tables.include and not bulkload.tables.exclude that the "
                    + "database user may INSERT into, with columns, primary key and unique keys; only those the caller "
                    + "may load (or, with the bulkload:read scope, all of them).")
    List<TableResponse> tables() {
        return this.catalog.tables().stream().filter(this.visibility::visible).map(TableResponse::of).toList();
    }

    @GetMapping("/{table}")
    @Operation(summary = "Describe one loadable table")
    @ApiResponse(responseCode = "200", description = "The table")
    @ApiResponse(responseCode = "404", description = "No such table, it is not loadable, or the caller may neither "
            + "load nor read it (as in the list)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    TableResponse table(@Parameter(description = "`name` (looked up along the search path) or `schema.name`; a part "
            + "holding a dot or a double quote in double quotes (`\"public.x\".t`)") @PathVariable String table) {
        LoadableTable found = this.catalog.require(table);
        if (!this.visibility.visible(found)) {
            // shown only where listed: a table the caller may not see answers like a missing one
            throw new TableNotFoundException(table);
        }
        return TableResponse.of(found);
    }
}
