package dev.bulkload.registry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The registry over HTTP: find, follow and cancel loads from any replica, and download their rejects. */
@RestController
@RequestMapping("/api/v1/loads")
@Tag(name = "Load registry", description = "Find, follow and cancel loads from any replica; download their rejects. "
        + "Reading needs the scope bulkload:read or a load grant on the load's table; cancelling needs the load grant. "
        + "Finished loads are kept for bulkload.loads.retention (7 days by default).")
@ApiResponse(responseCode = "503", description = "The database is unavailable (database-unavailable)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
class LoadsController {

    private static final int DEFAULT_LIMIT = 50;

    private static final int MAX_LIMIT = 1000;

    private final LoadHistory history;

    private final LoadAccess access;

    private final LoadCancellation cancellation;

    private final StoredRejects rejects;

    private final JsonMapper json;

    LoadsController(LoadHistory history, LoadAccess access, LoadCancellation cancellation, StoredRejects rejects,
            JsonMapper json) {
        this.history = history;
        this.access = access;
        this.cancellation = cancellation;
        this.rejects = rejects;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "Loads, newest first, a page at a time",
            description = "Each load in the report's field names plus startedAt, finishedAt, principal and "
                    + "idempotencyKey. Pass `next` back as `before` for the next (older) page; `next` is null on the "
                    + "last. With security on, only loads of tables you may read are listed.")
    @ApiResponse(responseCode = "200", description = "A page of loads")
    @ApiResponse(responseCode = "400", description = "A bad status, limit or cursor (invalid-parameter)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    LoadPage loads(
            @Parameter(description = "Only loads into this table: `name` or `schema.name`") @RequestParam(required = false) String table,
            @Parameter(description = "Only loads in this status: running, succeeded, failed or cancelled",
                    schema = @Schema(allowableValues = { "running", "succeeded", "failed", "cancelled" })) @RequestParam(required = false) String status,
            @Parameter(description = "Loads per page, 1 to 1000 (default 50)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` cursor of the previous page") @RequestParam(required = false) String before) {
        LoadStatus wanted = null;
        if (status != null) {
            try {
                wanted = LoadStatus.of(status);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidLoadQueryException("status",
                        "status must be one of running, succeeded, failed, cancelled");
            }
        }
        int size = (limit != null) ? limit : DEFAULT_LIMIT;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidLoadQueryException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        LoadHistory.Cursor cursor = null;
        if (before != null) {
            cursor = LoadHistory.Cursor.decode(before)
                .orElseThrow(() -> new InvalidLoadQueryException("before",
                        "before must be the next cursor of a previous page"));
        }
        String qualified = (table != null) ? this.access.qualified(table) : null;
        return this.history.page(qualified, wanted, this.access.readableTables(), size, cursor);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One load: its final counts, or while it runs its counts so far and current rows/s")
    @ApiResponse(responseCode = "200", description = "The load")
    @ApiResponse(responseCode = "404", description = "No such load, or not one of a table you may read (load-not-found)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    LoadView load(@Parameter(description = "The load's id (the report's `id`, the `Location` of the load's answer)")
    @PathVariable String id) {
        return readable(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a running load, from any replica",
            description = "The load stops within seconds (at the next rows it reads; a statement it runs is cancelled) "
                    + "and ends `cancelled`; its client gets 409 load-cancelled. An atomic load leaves nothing; a "
                    + "non-atomic one keeps its committed chunks (rowsCommitted). Answers the load as it stands, "
                    + "with cancelRequested true; follow it with GET.")
    @ApiResponse(responseCode = "202", description = "Cancel requested")
    @ApiResponse(responseCode = "403", description = "You may read this load but not load into its table (forbidden-table)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such load, or not one of a table you may read (load-not-found)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The load already ended (load-not-running)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<LoadView> cancel(@Parameter(description = "The load's id") @PathVariable String id) {
        LoadView load = readable(id);
        this.access.requireCancel(load.table());
        if (!LoadStatus.RUNNING.label().equals(load.status()) || !this.cancellation.cancel(load.id())) {
            String status = this.history.find(load.id()).map(LoadView::status).orElse(load.status());
            throw new LoadNotRunningException(id, status);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.history.find(load.id()).orElse(load));
    }

    @GetMapping("/{id}/rejects")
    @Operation(summary = "Every stored reject of a load, in record order: a report, or the records to fix",
            description = "`form=report` (the default): CSV (`record,line,column,sqlState,constraint,message,raw`, "
                    + "RFC 4180) by default, NDJSON with `Accept: application/x-ndjson`. `form=records`: the "
                    + "rejected records as a file to fix and load again, named `<table>-rejects-<file>` after the "
                    + "table and the uploaded file: for a CSV load the header row as received, then each rejected "
                    + "record's original text, one a line without its line break (`text/csv`); for JSON and NDJSON "
                    + "loads, NDJSON of the original records (`application/x-ndjson`). A record longer than "
                    + "bulkload.load.reject-raw-bytes was kept cut and is left out (it would load cut short): the "
                    + "header `Bulkload-Records-Omitted` says how many, the report lists them. Streamed, so any number of "
                    + "rejects can be downloaded. Up to bulkload.load.max-rejects-stored (100,000) rejects are "
                    + "stored per load; the load report lists only the first 1,000. `raw` is the record's original "
                    + "text, cut at bulkload.load.reject-raw-bytes (ending in …).")
    @ApiResponse(responseCode = "200", description = "The rejects", headers = @Header(name = RejectedRecords.OMITTED_HEADER,
            description = "form=records: rejected records left out of the file because their text was kept cut at "
                    + "bulkload.load.reject-raw-bytes", schema = @Schema(type = "integer")), content = {
            @Content(mediaType = "text/csv", examples = {
                    @ExampleObject(name = "report", summary = "form=report",
                            value = "record,line,column,sqlState,constraint,message,raw\r\n17,18,email,23502,,"
                                    + "\"null value in column \"\"email\"\" violates not-null constraint\",\"Ann,\n\"\r\n"),
                    @ExampleObject(name = "records", summary = "form=records (a CSV load)",
                            value = "name,email\r\nAnn,\r\nBob,bob(at)example.com\r\n") }),
            @Content(mediaType = "application/x-ndjson", examples = {
                    @ExampleObject(name = "report", summary = "form=report",
                            value = "{\"record\":17,\"line\":18,\"column\":\"email\",\"sqlState\":\"23502\","
                                    + "\"constraint\":null,\"message\":\"null value in column \\\"email\\\" ...\","
                                    + "\"raw\":\"Ann,\\n\"}\n"),
                    @ExampleObject(name = "records", summary = "form=records (a JSON or NDJSON load)",
                            value = "{\"name\":\"Ann\",\"email\":null}\n") }) })
    @ApiResponse(responseCode = "400", description = "An unknown form (invalid-parameter)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such load, or not one of a table you may read (load-not-found)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    void rejects(@Parameter(description = "The load's id") @PathVariable String id,
            @Parameter(description = "`report`: each reject with its record, line, column, reason and raw text; "
                    + "`records`: the rejected records alone, as a file in the load's format to fix and load again",
                    schema = @Schema(allowableValues = { "report", "records" }, defaultValue = "report"))
            @RequestParam(required = false) String form,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response) throws IOException {
        boolean records = form != null && form.equals("records");
        if (form != null && !records && !form.equals("report")) {
            throw new InvalidLoadQueryException("form", "form must be report or records");
        }
        LoadView load = readable(id);
        if (records) {
            RejectedRecords file = new RejectedRecords(load, this.history.sourceHeader(load.id()));
            // said before the first byte: records kept cut at reject-raw-bytes are not in the file
            response.setHeader(RejectedRecords.OMITTED_HEADER, Long.toString(this.rejects.cut(load.id())));
            Writer out = download(response, file.mediaType(), attachment(file.fileName()));
            file.writeHeader(out);
            this.rejects.stream(load.id(), (reject) -> {
                try {
                    file.write(out, reject);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            out.flush();
            return;
        }
        RejectsFormat format = RejectsFormat.forAccept(accept);
        Writer out = download(response, format.mediaType(), "attachment; filename=\"rejects-" + load.id()
                + ((format == RejectsFormat.CSV) ? ".csv" : ".ndjson") + "\"");
        format.header(out);
        this.rejects.stream(load.id(), (reject) -> {
            try {
                format.write(out, reject, this.json);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        out.flush();
    }

    /**
     * {@code attachment} naming the file twice (RFC 6266): {@code filename} in ASCII for every client (other
     * characters as {@code _}; a header's bytes are ISO-8859-1 on the wire), {@code filename*} in UTF-8 as named.
     */
    static String attachment(String fileName) {
        StringBuilder ascii = new StringBuilder(fileName.length());
        fileName.codePoints().forEach((c) -> ascii.append((c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                ? (char) c : '_'));
        String both = ContentDisposition.attachment().filename(fileName, StandardCharsets.UTF_8).build().toString();
        int star = both.indexOf("filename*=");
        return "attachment; filename=\"" + ascii + "\"" + ((star >= 0) ? "; " + both.substring(star) : "");
    }

    /** Starts a 200 download of {@code mediaType} in UTF-8 with the given {@code Content-Disposition}. */
    private static Writer download(HttpServletResponse response, String mediaType, String disposition)
            throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(mediaType + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, disposition);
        return new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                64 * 1024);
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
