package dev.bulkload.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.web.bind.annotation.BindParam;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.row.WriteMode;

/**
 * The query parameters of a load, as sent; {@link #toRequest} validates them.
 * @param mode write mode
 * @param key conflict/match key columns
 * @param method copy or batch
 * @param atomic one transaction, or a commit per chunk
 * @param onError what a bad row does
 * @param maxErrors most rejects tolerated
 * @param batchSize rows per chunk
 * @param dryRun roll back at the end
 * @param header CSV: whether the first record names the columns
 * @param delimiter CSV field separator
 * @param quote CSV quote character
 * @param nullString CSV text meaning NULL
 * @param columns CSV columns when header=false
 * @param overriding {@code system} to store given values of {@code GENERATED ALWAYS} identity columns
 */
public record LoadOptions(
        @Parameter(description = "Write mode. `insert` adds every row. `upsert` inserts or, when the `key` exists, "
                + "overwrites the columns present in the payload (absent columns are left untouched). `ignore` "
                + "inserts rows whose `key` does not exist yet and skips the others. `update` updates existing rows "
                + "matched by `key`, only the columns present; a row matching nothing is rejected. A key repeated "
                + "within one load: upsert and update keep the last occurrence, ignore the first; the others count "
                + "as skipped.", schema = @Schema(allowableValues = { "insert", "upsert", "ignore", "update" },
                        defaultValue = "insert")) String mode,
        @Parameter(description = "Conflict/match key for upsert, ignore and update: comma-separated columns that "
                + "form the primary key or a unique key (constraint or unique index), e.g. `email`. Default: the "
                + "primary key. Not allowed with mode=insert.") String key,
        @Parameter(description = "`copy` streams rows with COPY FROM STDIN; `batch` uses JDBC batched INSERTs.",
                schema = @Schema(allowableValues = { "copy", "batch" }, defaultValue = "copy")) String method,
        @Parameter(description = "`true`: the whole request is one transaction and a failure leaves no row behind. "
                + "`false`: each chunk commits on its own; a failure reports how many rows were committed.",
                schema = @Schema(type = "boolean", defaultValue = "true")) Boolean atomic,
        @Parameter(description = "On a bad row: `abort` rolls back (what is not committed) and fails with 422; "
                + "`skip` loads the good rows and lists the bad ones in `rejects` with record, line, column, reason "
                + "and raw text.", schema = @Schema(allowableValues = { "abort", "skip" }, defaultValue = "abort"))
        String onError,
        @Parameter(description = "With onError=skip: more rejects than this fails the load with 422 (rolled back "
                + "when atomic). Default: no limit.", schema = @Schema(type = "integer", format = "int32",
                        minimum = "0")) Integer maxErrors,
        @Parameter(description = "Rows per chunk (a chunk also ends at bulkload.load.batch-bytes). "
                + "Default from bulkload.load.batch-size (50000); at most bulkload.load.max-batch-size.",
                schema = @Schema(type = "integer", format = "int32", minimum = "1")) Integer batchSize,
        @Parameter(description = "Do everything, then roll back: the report says what would happen.",
                schema = @Schema(type = "boolean", defaultValue = "false")) Boolean dryRun,
        @Parameter(description = "CSV: the first record names the columns.",
                schema = @Schema(type = "boolean", defaultValue = "true")) Boolean header,
        @Parameter(description = "CSV: field separator, one ASCII character (`\\t` for tab).",
                schema = @Schema(defaultValue = ",")) String delimiter,
        @Parameter(description = "CSV: quote character, one ASCII character.", schema = @Schema(defaultValue = "\""))
        String quote,
        @Parameter(name = "null", description = "CSV: an unquoted field equal to this is NULL. "
                + "Default: an empty unquoted field is NULL, a quoted empty field \"\" is an empty string.",
                schema = @Schema(defaultValue = "")) @BindParam("null") String nullString,
        @Parameter(description = "CSV with header=false: comma-separated column names of the fields, in order. "
                + "Default: every column of the table in table order. Only with header=false, e.g. `name,email`.")
        String columns,
        @Parameter(description = "`system` stores the values given for `GENERATED ALWAYS AS IDENTITY` columns "
                + "(PostgreSQL's `OVERRIDING SYSTEM VALUE`), with every method. Without it such a value is refused "
                + "with 400 naming the column. A `BY DEFAULT` identity column always takes a given value; a "
                + "generated column never does. An update can never set an identity column (except as the key).",
                schema = @Schema(allowableValues = { "system" })) String overriding) {

    /**
     * Validates the options into a request.
     * @throws InvalidLoadRequestException naming the first bad parameter
     */
    LoadRequest toRequest(String table, LoadFormat format, boolean gzip, LoadProperties defaults) {
        WriteMode writeMode = parse("mode", this.mode, WriteMode.INSERT, WriteMode.values());
        LoadMethod loadMethod = parse("method", this.method, LoadMethod.COPY, LoadMethod.values());
        boolean skip = parse("onError", this.onError, OnError.ABORT, OnError.values()) == OnError.SKIP;
        List<String> keyColumns = (this.key == null || this.key.isBlank()) ? List.of()
                : Arrays.stream(this.key.split(",", -1)).map(String::trim).toList();
        if (!keyColumns.isEmpty() && writeMode == WriteMode.INSERT) {
            throw new InvalidLoadRequestException("key", "key is for mode=upsert, ignore or update");
        }
        if (keyColumns.stream().anyMatch(String::isEmpty)) {
            throw new InvalidLoadRequestException("key", "key must name columns, separated by commas");
        }
        if (this.maxErrors != null && (this.maxErrors < 0 || !skip)) {
            throw new InvalidLoadRequestException("maxErrors", "maxErrors must be 0 or more, with onError=skip");
        }
        int rows = (this.batchSize != null) ? this.batchSize : defaults.batchSize();
        if (rows < 1 || rows > defaults.maxBatchSize()) {
            throw new InvalidLoadRequestException("batchSize",
                    "batchSize must be between 1 and " + defaults.maxBatchSize());
        }
        boolean overridingSystem = parse("overriding", this.overriding, null, Overriding.values()) != null;
        return new LoadRequest(table, format, gzip, writeMode, keyColumns, loadMethod,
                !Boolean.FALSE.equals(this.atomic), skip, this.maxErrors, rows, Boolean.TRUE.equals(this.dryRun),
                csvFormat(), null, overridingSystem);
    }

    private CsvFormat csvFormat() {
        boolean hasHeader = !Boolean.FALSE.equals(this.header);
        char delimiterChar = character("delimiter", this.delimiter, ',');
        char quoteChar = character("quote", this.quote, '"');
        List<String> columnList = (this.columns == null || this.columns.isBlank()) ? List.of()
                : Arrays.stream(this.columns.split(",", -1)).map(String::trim).toList();
        String nullText = (this.nullString != null) ? this.nullString : "";
        // each rule CsvFormat asserts, checked here first so that the problem names the parameter as typed
        if (hasHeader && !columnList.isEmpty()) {
            throw new InvalidLoadRequestException("columns", "columns is for header=false only");
        }
        if (columnList.stream().anyMatch(String::isEmpty)) {
            throw new InvalidLoadRequestException("columns", "columns must name columns, separated by commas");
        }
        if (delimiterChar == quoteChar) {
            throw new InvalidLoadRequestException("quote", "delimiter and quote must differ");
        }
        if (delimiterChar == '\r' || delimiterChar == '\n') {
            throw new InvalidLoadRequestException("delimiter", "delimiter cannot be a line break");
        }
        if (quoteChar == '\r' || quoteChar == '\n') {
            throw new InvalidLoadRequestException("quote", "quote cannot be a line break");
        }
        if (nullText.indexOf(delimiterChar) >= 0 || nullText.indexOf(quoteChar) >= 0 || nullText.indexOf('\n') >= 0
                || nullText.indexOf('\r') >= 0) {
            throw new InvalidLoadRequestException("null", "null must not hold the delimiter, the quote or a line break");
        }
        return new CsvFormat(hasHeader, delimiterChar, quoteChar, nullText, columnList);
    }

    private static char character(String parameter, String value, char fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) == 0 || value.charAt(0) >= 128) {
            throw new InvalidLoadRequestException(parameter, parameter + " must be one ASCII character");
        }
        return value.charAt(0);
    }

    /** The onError values. */
    private enum OnError {
        ABORT, SKIP
    }

    /** The overriding values: only PostgreSQL's {@code OVERRIDING SYSTEM VALUE}. */
    private enum Overriding {
        SYSTEM
    }

    private static <E extends Enum<E>> E parse(String parameter, String value, E fallback, E[] values) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        for (E candidate : values) {
            if (candidate.name().equals(value.toUpperCase(Locale.ROOT))) {
                return candidate;
            }
        }
        List<String> allowed = Arrays.stream(values).map((e) -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new InvalidLoadRequestException(parameter, parameter + " must be one of " + allowed);
    }
}
