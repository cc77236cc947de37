package dev.bulkload.catalog;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lists the tables that may be loaded. */
@RestController
@RequestMapping("/api/v1/tables")
@Tag(name = "Tables", description = "The tables this service may load")
class TableController {

    private final TableCatalog catalog;

    TableController(TableCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    @Operation(summary = "List the loadable tables",
            description = "Tables matching bulkload.tables.include and not bulkload.tables.exclude that the "
                    + "database user may INSERT into, with columns, primary key and unique keys.")
    List<TableResponse> tables() {
        return this.catalog.tables().stream().map(TableResponse::of).toList();
    }

    @GetMapping("/{table}")
    @Operation(summary = "Describe one loadable table")
    @ApiResponse(responseCode = "200", description = "The table")
    @ApiResponse(responseCode = "404", description = "No such table, or it is not loadable",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    TableResponse table(@Parameter(description = "`name` (looked up along the search path) or `schema.name`",
            example = "public.users") @PathVariable String table) {
        return TableResponse.of(this.catalog.require(table));
    }
}
