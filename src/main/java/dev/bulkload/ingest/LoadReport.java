package dev.bulkload.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.bulkload.create.CreatedTable;
import dev.bulkload.row.Reject;

/**
 * What happened to every row of a load.
 * @param id the load's id in the registry ({@code GET /api/v1/loads/{id}})
 * @param table the table, {@code schema.name}; with {@code create=true} an object instead ({@link CreatedTable}):
 * {@code name}, {@code created}, and for a table the load created (or, in a dry run, would have) its
 * {@code statement} and {@code columns}
 * @param format csv, json or ndjson
 * @param mode the write mode
 * @param method copy or batch
 * @param atomic whether the load ran as one transaction
 * @param dryRun whether it was rolled back on purpose
 * @param rowsReceived data records read from the payload
 * @param rowsInserted rows inserted (would have been, in a dry run)
 * @param rowsUpdated rows updated
 * @param rowsSkipped rows skipped
 * @param rowsRejected rows refused
 * @param rejects the refused rows, capped
 * @param rejectsTruncated whether more rows were refused than listed
 * @param batches chunks written
 * @param bytesRead bytes of the request body as sent (compressed, when gzip)
 * @param durationMs wall time of the load
 * @param rowsPerSecond rowsReceived per second of durationMs
 * @param resumedFromRecord when this load resumed an earlier attempt with the same Idempotency-Key: the first
 * record it loaded (the records before it had been committed by that attempt and were checked, not written again);
 * absent otherwise
 * @param options every option the load used that is not its default, by parameter name (key, onError, maxErrors,
 * batchSize, the CSV options, recordsPath, dateStyle, charset when not utf-8, map, unknownFields, match, ...);
 * absent when it used the defaults only
 * @param ignoredFields with {@code unknownFields=ignore}: the fields skipped because they met no column, by name,
 * in order of first appearance, at most 100; absent otherwise
 */
public record LoadReport(UUID id,
        @Schema(description = "The table, schema.name; with create=true an object: name, created, and for a created "
                + "table statement and columns (field, column, type)", oneOf = { String.class, CreatedTable.class },
                example = "public.users") Object table, String format, String mode, String method, boolean atomic, boolean dryRun,
        long rowsReceived, long rowsInserted, long rowsUpdated, long rowsSkipped, long rowsRejected,
        List<Reject> rejects, boolean rejectsTruncated, long batches, long bytesRead, long durationMs,
        long rowsPerSecond, @JsonInclude(JsonInclude.Include.NON_NULL) Long resumedFromRecord,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Schema(example = "{\"recordsPath\": \"/data\", \"dateStyle\": \"DMY\"}") Map<String, Object> options,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(example = "[\"_meta\", \"trace_id\"]")
        List<String> ignoredFields) {

    public LoadReport {
        // a report replayed from its stored JSON has no options when the load used only the defaults
        options = (options != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(options)) : Map.of();
        ignoredFields = (ignoredFields != null) ? List.copyOf(ignoredFields) : null;
    }

    /** The table's {@code schema.name}, whether {@link #table} is the name or a {@link CreatedTable}. */
    @JsonIgnore
    public String tableName() {
        if (this.table instanceof CreatedTable created) {
            return created.name();
        }
        if (this.table instanceof Map<?, ?> replayed) {
            return String.valueOf(replayed.get("name"));
        }
        return String.valueOf(this.table);
    }
}
