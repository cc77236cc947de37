package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.web.bind.annotation.BindParam;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.mapping.InvalidMappingException;
import dev.bulkload.mapping.MapEntry;
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
 * @param map field mapping entries, {@code <field>:<column>}, repeatable
 * @param unknownFields what a field that meets no column does: reject or ignore
 * @param match how field names meet column names: exact or loose
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
        @Parameter(description = "Loads a field into a column of another name: `<field>:<column>`, split at the "
                + "last `:`; repeat the parameter for more fields. `<field>` is a CSV header name or a JSON key; "
                + "one starting with `/` is a JSON Pointer (RFC 6901) into the record, for JSON and NDJSON: "
                + "`/user/id:user_id` loads a nested value, `/items/0/sku:sku` an array element (`~1` stands for "
                + "`/`, `~0` for `~`). An empty column drops the field: `_meta:`. A mapped field loads only into "
                + "its column, whatever match says. A column that does not exist, or two fields for one column: 400. "
                + "A pointer that finds nothing leaves the column to its DEFAULT; one that finds an object or array "
                + "for a column that is not json/jsonb refuses the record. E.g. `Full Name:name`.",
                examples = @ExampleObject(name = "Full Name:name", summary = "a header Full Name into column name",
                        description = "A CSV header or JSON key `Full Name` loads into column `name`; a payload "
                                + "without it loads as it would without the map.", value = "[\"Full Name:name\"]"), array = @ArraySchema(schema = @Schema(type = "string")))
        List<String> map,
        @Parameter(description = "A field that meets no column and is not mapped: `reject` refuses the record "
                + "(Unknown column); `ignore` skips it and names it once in the report's `ignoredFields` (at most "
                + "100 names).", schema = @Schema(allowableValues = { "reject", "ignore" }, defaultValue = "reject"))
        String unknownFields,
        @Parameter(description = "How field names meet column names. `exact`: the same name, else the only column "
                + "differing in case alone. `loose`: names equal once case, spaces, `_`, `-` and `.` are ignored, so "
                + "`E-mail Address`, `email_address` and `EmailAddress` meet. Two fields meeting one column is a 400 "
                + "naming both.", schema = @Schema(allowableValues = { "exact", "loose" }, defaultValue = "exact"))
        String match) {

    /** Every parameter of a load, as the client names them (a multipart form field may give each of them too). */
    public static final List<String> PARAMETERS = List.of("mode", "key", "method", "atomic", "onError", "maxErrors",
            "batchSize", "dryRun", "header", "delimiter", "quote", "null", "columns", "map", "unknownFields", "match");

    /** The parameters that may be given more than once. */
    static final List<String> REPEATABLE = List.of("map");

    /**
     * The options as a source of parameters gives them: the query's, or the query's and a multipart form's.
     * @param parameters each parameter's values by name, null when absent
     * @throws InvalidLoadRequestException when a value is not a number or a boolean where one is expected
     */
    static LoadOptions from(Function<String, String[]> parameters) {
        String[] map = parameters.apply("map");
        return new LoadOptions(first(parameters, "mode"), first(parameters, "key"), first(parameters, "method"),
                bool(parameters, "atomic"), first(parameters, "onError"), integer(parameters, "maxErrors"),
                integer(parameters, "batchSize"), bool(parameters, "dryRun"), bool(parameters, "header"),
                first(parameters, "delimiter"), first(parameters, "quote"), first(parameters, "null"),
                first(parameters, "columns"), (map != null) ? List.of(map) : null,
                first(parameters, "unknownFields"), first(parameters, "match"));
    }

    /**
     * The options of a multipart upload: the query's, and those its form fields give (before the file part).
     * @param query the query's parameters by name, null when absent
     * @param form the form fields by name
     * @throws InvalidLoadRequestException when a parameter that is given once comes both in the query and in the form
     */
    static LoadOptions from(Function<String, String[]> query, Map<String, List<String>> form) {
        if (form.isEmpty()) {
            return from(query);
        }
        return from((name) -> {
            String[] inQuery = query.apply(name);
            List<String> inForm = form.get(name);
            if (inForm == null || inForm.isEmpty()) {
                return inQuery;
            }
            if (inQuery == null) {
                return inForm.toArray(String[]::new);
            }
            if (!REPEATABLE.contains(name)) {
                throw new InvalidLoadRequestException(name, name + " is given both in the query and as a form "
                        + "field; give it once");
            }
            List<String> both = new ArrayList<>(Arrays.asList(inQuery));
            both.addAll(inForm);
            return both.toArray(String[]::new);
        });
    }

    private static String first(Function<String, String[]> parameters, String name) {
        String[] values = parameters.apply(name);
        return (values != null && values.length > 0) ? values[0] : null;
    }

    private static Integer integer(Function<String, String[]> parameters, String name) {
        String value = first(parameters, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new InvalidLoadRequestException(name, name + " must be a whole number");
        }
    }

    /** As Spring converts booleans: true, on, yes, 1 or false, off, no, 0, any case; empty is absent. */
    private static Boolean bool(Function<String, String[]> parameters, String name) {
        String value = first(parameters, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> Boolean.TRUE;
            case "false", "off", "no", "0" -> Boolean.FALSE;
            default -> throw new InvalidLoadRequestException(name, name + " must be true or false");
        };
    }

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
        return new LoadRequest(table, format, gzip, writeMode, keyColumns, loadMethod,
                !Boolean.FALSE.equals(this.atomic), skip, this.maxErrors, rows, Boolean.TRUE.equals(this.dryRun),
                csvFormat(), null, fieldMapping(format));
    }

    private FieldMapping fieldMapping(LoadFormat format) {
        FieldMapping mapping;
        try {
            mapping = FieldMapping.parse(this.map, this.match, this.unknownFields);
        }
        catch (InvalidMappingException ex) {
            throw new InvalidLoadRequestException(ex.parameter(), ex.getMessage());
        }
        MapEntry pointer = mapping.firstPointer();
        if (format == LoadFormat.CSV && pointer != null) {
            throw new InvalidLoadRequestException("map", "map=" + pointer.text() + ": a JSON Pointer reads JSON and "
                    + "NDJSON records; a CSV field is named by its header");
        }
        return mapping;
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
