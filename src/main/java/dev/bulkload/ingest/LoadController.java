package dev.bulkload.ingest;

import java.io.IOException;
import java.io.InputStream;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bulkload.options.FormFieldsRequest;
import dev.bulkload.options.LoadOptions;
import dev.bulkload.options.LoadOptionsResolver;
import dev.bulkload.options.LoadParameters;
import dev.bulkload.body.MultipartUpload;
import dev.bulkload.body.PayloadType;
import dev.bulkload.body.RequestBody;
import dev.bulkload.idempotency.IdempotencyKeyHeader;


/** Accepts loads: a raw CSV, JSON or NDJSON body, or an uploaded file. */
@RestController
@RequestMapping("/api/v1/tables/{table}/rows")
@Tag(name = "Loads", description = "Stream rows into a table")
@ApiResponse(responseCode = "200", description = "The load report: what happened to every row; its `id` names the "
        + "load in the registry",
        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LoadReport.class)),
        headers = {
        @Header(name = "Location", description = "/api/v1/loads/{id}: the load in the registry",
                schema = @Schema(type = "string")),
        @Header(name = "Idempotent-Replayed", description = "`true` when this is the answer of an earlier load with "
                + "the same Idempotency-Key, given again (nothing was written); also on a replayed failure",
                schema = @Schema(type = "string", allowableValues = "true")) })
@ApiResponse(responseCode = "400", description = "Malformed payload, unknown column or bad parameter; or the body "
        + "ended before its Content-Length or final chunk (client-disconnected: the load failed, nothing of a cut "
        + "record was written). A failed load's problem carries its `loadId`",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "401", description = "No credentials, a bad token or API key, or a token without the "
        + "claim naming its caller (sub, or bulkload.security.jwt.principal-claim)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "403", description = "forbidden-table: no scope or API key grants the table; with "
        + "create=true for a table that does not exist, also no bulkload:create: scope or API key create-tables glob "
        + "grants creating it, or the database refuses the caller's role CREATE on the schema (sqlState 42501). "
        + "forbidden-role-claim: bulkload.security.jwt.role-claim is set and the token does not hold it as exactly one "
        + "non-empty string (an array, even of one, is refused); claim names it. forbidden-role: the caller's database "
        + "role does not exist, may not be assumed, or lacks a privilege the load needs. Nothing is written",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "404", description = "No such table, or it is not loadable; with create=true, a table "
        + "that may not be created here (outside bulkload.tables, a relation of that name that is not loadable, a "
        + "schema that does not exist)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "408", description = "The body stalled past the idle timeout or arrived below the "
        + "minimum upload rate (body-too-slow); nothing remains when atomic",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "409", description = "table-changed: the table changed after the service read its "
        + "definition (a column or the table dropped, a type or key changed); nothing remains when atomic; the "
        + "definition has been read again, so the same load can be sent again. idempotency-key-in-use: a load with "
        + "the same Idempotency-Key is still running (retry later). idempotency-key-unattributed: the key was used "
        + "by a load recorded before callers were named by kind, under your name (loadId); nothing was written. "
        + "table-exists: with create=true, another request created the table meanwhile (send the load again). "
        + "load-cancelled: the load was cancelled "
        + "(DELETE /api/v1/loads/{id}, from any replica); nothing remains when atomic, rowsCommitted otherwise",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "413", description = "Body, decompressed body, field, record, JSON number or nesting over "
        + "a limit (with onError=skip a JSON record over a limit is a reject where the reader can read past it)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "415", description = "Unsupported Content-Type, charset or Content-Encoding",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "422", description = "With onError=abort, a row was refused (wrong type, NOT NULL, a "
        + "NULL key, unique, check, foreign key, an index row too large, a trigger's error, a deferred constraint, no row "
        + "with this key), named by record, line and column; with onError=skip, more rows were refused than maxErrors "
        + "allows. Nothing remains when atomic. idempotency-key-reused: the Idempotency-Key was used for a load with other "
        + "options or another body; nothing was written",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "500", description = "accounting-error: a chunk's counts did not add up (it was rolled "
        + "back), or internal-error",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "429", description = "too-many-loads: this caller already runs as many loads as one caller "
        + "may (bulkload.load.max-loads-per-caller); retry after the Retry-After header",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "503", description = "Every load slot is taken, or as many loads as the service holds "
        + "are already running or waiting (service-busy, answered before the body is read), the database is unavailable "
        + "(database-unavailable), or a chunk kept deadlocking with concurrent loads (database-conflict; nothing remains "
        + "when atomic), a lock was held past the lock timeout (table-locked), a statement ran past the statement "
        + "timeout (statement-timeout), or the service shut down before the load ended (shutting-down); retry after "
        + "the Retry-After header. outcome-unknown: the connection died during a COMMIT and the database stayed "
        + "unreachable, so whether it committed is not known yet: ask GET /api/v1/loads/{loadId} before retrying",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
class LoadController {

    private static final String DESCRIPTION = """
            Streams the body into the table in chunks; the body is never held in memory.
            Keys of JSON objects and CSV header fields are column names (an exact match, else the only \
            case-insensitive one), unless `map`, `match` or `unknownFields` say otherwise. **A column absent from a record takes the column's DEFAULT when it has one, \
            NULL otherwise.** A column given as JSON null or an empty unquoted CSV field is NULL. JSON values go \
            in as PostgreSQL's `json_populate_record` takes them: into json/jsonb columns a JSON value is stored as \
            that same JSON value (a string as a JSON string); a JSON array fills an array column (nested arrays as \
            its dimensions, null elements NULL) and a JSON object a composite column (by field name, missing fields \
            NULL), at any depth; into other columns a string is stored as its content (for an array or composite \
            column, its literal: `"{1,2}"`), numbers and booleans as written, objects and arrays as JSON text. A \
            number or boolean for an array or composite column, an object for an array column or an array for a \
            composite one is a row error naming the column (a reject with onError=skip). \
            Send `Content-Encoding: gzip` for a compressed body. The body is UTF-8 unless its Content-Type names \
            another charset (`text/csv; charset=windows-1252`) or the `charset` parameter does: UTF-8, UTF-16 \
            (UTF-16LE, UTF-16BE), windows-1252, ISO-8859-1, ISO-8859-15 and US-ASCII are read.""";

    private static final String UPLOAD_DESCRIPTION = """

            An upload (`multipart/form-data`, part `file`) is read as it arrives, never spooled; its \
            format comes from the part's Content-Type, else from the file name: .csv, .json, .ndjson or \
            .jsonl, with an optional .gz suffix for gzip. Form fields before the file part are parameters like \
            the query's; a part after it is refused. The file's charset comes from the part's Content-Type or the \
            `charset` parameter (or form field).

            **Parameters are strict**: an unknown name is a 400 naming it and the closest known one \
            (`onerror`: did you mean `onError`?), and so is a name given twice or an option of another format \
            (`recordsPath` with CSV or NDJSON; `header`, `delimiter`, `quote`, `null`, `columns` with JSON or NDJSON).

            **A new table from the payload**: with `create=true` a table that does not exist is created from the             first `sampleRows` records (column names folded from the CSV header or JSON keys, types inferred,             `types=` overrides, `key=` a primary key) and loaded, in one transaction when atomic.             `dryRun=true&create=true` answers the report with `table` = `{"name", "created": true, "statement":             "CREATE TABLE ...", "columns": [{"field", "column", "type"}]}` and keeps nothing.""";

    private static final String IDEMPOTENCY_KEY_DESCRIPTION = """
            Makes the load safe to retry (draft-ietf-httpapi-idempotency-key-header-07): a structured-field string \
            (quoted, or bare) of at most 255 printable ASCII characters, unique per load, e.g. a UUID. The service \
            keeps it with a fingerprint of the table, the options and the body (SHA-256 of the body as sent), per \
            caller. A retry with the same key and request, from any replica: while the first load runs, 409 \
            `idempotency-key-in-use`; once it ended with an answer (200, or a failure about the request itself: \
            malformed payload, payload too large, a row refused with onError=abort, too many rejects, cancelled), \
            that same answer again with `Idempotent-Replayed: true` and nothing written; once it ended without one \
            (client-disconnected, body-too-slow, a 500 or 503 such as database-unavailable or outcome-unknown, or \
            its instance died), the load runs again: an atomic one from the start (it left nothing), a non-atomic \
            one from the first record its committed chunks do not hold, each committed chunk checked against its \
            hash, so every record is written exactly once; its report says `resumedFromRecord`. The same key with \
            other options or another body: 422 `idempotency-key-reused`, nothing written. Keys expire with their \
            load, `bulkload.loads.retention` (7 days) after it finished; then the key is new again.""";

    private final LoadService service;

    private final LoadProperties properties;

    private final LimitsProperties limits;

    private final RunningLoads runningLoads;

    LoadController(LoadService service, LoadProperties properties, LimitsProperties limits,
            RunningLoads runningLoads) {
        this.service = service;
        this.properties = properties;
        this.limits = limits;
        this.runningLoads = runningLoads;
    }

    @PostMapping(consumes = { "text/csv", "application/csv", MediaType.APPLICATION_JSON_VALUE, PayloadType.NDJSON,
            PayloadType.JSONL, PayloadType.JSON_LINES, MediaType.MULTIPART_FORM_DATA_VALUE })
    @Operation(summary = "Load CSV, a JSON array or NDJSON: a raw body or an uploaded file", description = DESCRIPTION
            + UPLOAD_DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    // first, so that Swagger UI opens with the file picker
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                            schema = @Schema(implementation = UploadForm.class)),
                    @Content(mediaType = "text/csv", examples = {
                            @ExampleObject(name = "csv",
                                    value = "name,email\nAnn,ann@example.com\n\"Smith, Bob\",bob@example.com\n"),
                            @ExampleObject(name = "day-first dates", summary = "day-first dates: with dateStyle=DMY",
                                    value = "name,email,created_at\nEve,eve@example.com,31/12/2024 09:30\n"
                                            + "Fay,fay@example.com,01/02/2025 17:00\n") }),
                    @Content(mediaType = "application/json", examples = {
                            @ExampleObject(name = "json",
                                    value = "[{\"name\":\"Ann\",\"email\":\"ann@example.com\"},"
                                            + "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}]"),
                            @ExampleObject(name = "wrapped", summary = "wrapped: with recordsPath=/data",
                                    value = "{\"page\":1,\"data\":[{\"name\":\"Cleo\",\"email\":\"cleo@example.com\"},"
                                            + "{\"name\":\"Dan\",\"email\":\"dan@example.com\"}],\"next\":null}") }),
                    @Content(mediaType = "application/x-ndjson", examples = @ExampleObject(name = "ndjson",
                            value = "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}\n"
                                    + "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}\n")) }))
    LoadReport load(@Parameter(description = "`name` or `schema.name`; a part holding a dot or a double quote in "
            + "double quotes (`\"public.x\".t`)") @PathVariable String table,
            @ParameterObject LoadOptions options,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false) String encoding,
            // no example: Swagger UI would send it with every Execute, and the second would replay the first
            @Parameter(name = IdempotencyKeyHeader.NAME, description = IDEMPOTENCY_KEY_DESCRIPTION)
            @RequestHeader(value = IdempotencyKeyHeader.NAME, required = false) String idempotencyKey,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        // before a slot, a connection or a byte of the body is taken
        String key = IdempotencyKeyHeader.parse(idempotencyKey);
        InputStream body = RequestBody.open(request, this.limits.maxBodySize().toBytes(),
                this.limits.minUploadRate().toBytes(), this.limits.uploadRateWindow().toNanos());
        RunningLoads.RunningLoad running = this.runningLoads.start(response, table,
                !Boolean.FALSE.equals(options.atomic()));
        try {
            LoadReport report = load(table, options, encoding, key, request, body, running);
            if (!running.claim()) {
                throw new AnsweredAtShutdownException(null);
            }
            response.setHeader(HttpHeaders.LOCATION, "/api/v1/loads/" + report.id());
            return report;
        }
        catch (IOException | RuntimeException ex) {
            if (!running.claim()) {
                throw new AnsweredAtShutdownException(ex);
            }
            throw ex;
        }
        finally {
            this.runningLoads.end(running);
        }
    }

    private LoadReport load(String table, LoadOptions options, String encoding, String key,
            HttpServletRequest request, InputStream body, RunningLoads.RunningLoad running) throws IOException {
        if (JakartaServletFileUpload.isMultipartContent(request)) {
            MultipartUpload.FilePart file = MultipartUpload.file(request, body);
            // the form fields before the file are parameters too
            HttpServletRequest parameters = FormFieldsRequest.of(request, file.fields());
            PayloadType type = PayloadType.ofFile(file.filename(), file.contentType());
            LoadParameters.requireApplicable(parameters.getParameterMap().keySet(), type.format());
            LoadOptions given = (parameters == request) ? options : LoadOptionsResolver.bind(parameters);
            running.atomic(!Boolean.FALSE.equals(given.atomic()));
            try (InputStream in = file.content()) {
                return this.service.load(given.toRequest(table, type.format(), type.gzip(), this.properties.batchSize(),
                    this.properties.maxBatchSize(), this.properties.maxParallel())
                    .withCharset(given.payloadCharset(type.charset()))
                    .withIdempotencyKey(key), in, running, file.filename());
            }
        }
        PayloadType type = PayloadType.ofBody(request.getContentType(), encoding);
        LoadParameters.requireApplicable(request.getParameterMap().keySet(), type.format());
        return this.service.load(options.toRequest(table, type.format(), type.gzip(), this.properties.batchSize(),
                    this.properties.maxBatchSize(), this.properties.maxParallel())
            .withCharset(options.payloadCharset(type.charset()))
            .withIdempotencyKey(key), body, running);
    }

    /** The multipart form, for the OpenAPI document (Swagger UI shows a file picker for it). */
    @Schema(name = "UploadForm")
    static final class UploadForm {

        @Schema(description = "The file to load", type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED)
        public String file;
    }
}
