package dev.bulkload.registry;

import java.util.UUID;

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

/** The registry over HTTP: find, follow and cancel loads from any replica, and download their rejects. */
@RestController
@RequestMapping("/api/v1/loads")
@Tag(name = "Load registry", description = "Find, follow and cancel loads; download their rejects")
@ApiResponse(responseCode = "404", description = "No such load, or not one of a table you may read (load-not-found)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "503", description = "The database is unavailable (database-unavailable)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
class LoadsController {

    private final LoadHistory history;

    private final LoadAccess access;

    LoadsController(LoadHistory history, LoadAccess access) {
        this.history = history;
        this.access = access;
    }

    @GetMapping("/{id}")
    @Operation(summary = "One load: its final counts, or while it runs its counts so far and current rows/s")
    @ApiResponse(responseCode = "200", description = "The load")
    LoadView load(@Parameter(description = "The load's id (the report's `id`, the `Location` of the load's answer)")
    @PathVariable String id) {
        return readable(id);
    }

    private LoadView readable(String id) {
        UUID uuid = parse(id);
        LoadView load = this.history.find(uuid).orElseThrow(() -> new LoadNotFoundException(id));
        if (!this.access.mayRead(load.table())) {
            throw new LoadNotFoundException(id);
        }
        return load;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException ex) {
            throw new LoadNotFoundException(id);
        }
    }
}
