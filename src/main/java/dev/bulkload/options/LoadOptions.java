package dev.bulkload.options;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.web.bind.annotation.BindParam;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.body.PayloadCharset;
import dev.bulkload.body.UnsupportedPayloadException;
import dev.bulkload.create.TableCreation;
import dev.bulkload.create.TypeOverride;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.json.RecordsPath;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.mapping.InvalidMappingException;
import dev.bulkload.mapping.MapEntry;
import dev.bulkload.row.WriteMode;
import dev.bulkload.session.DateStyle;

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
 * @param recordsPath JSON array format: a JSON Pointer to the array of records inside the top-level value
 * @param dateStyle how dates and timestamps with an ambiguous field order are read: ISO, MDY, DMY or YMD
 * @param charset the payload's charset, where its Content-Type cannot say it
 * @param overriding {@code system} to store given values of {@code GENERATED ALWAYS} identity columns
 * @param map field mapping entries, {@code <field>:<column>}, repeatable
 * @param unknownFields what a field that meets no column does: reject or ignore
 * @param match how field names meet column names: exact or loose
 * @param create {@code true} to create a table that does not exist from the payload
 * @param sampleRows with create: how many records the column types are inferred from
 * @param types with create: type overrides, {@code <column>:<type>}, repeatable
 * @param parallel writer connections of a non-atomic load
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
        // no schema defaults for the CSV options: Swagger UI would send them with every Execute, and a JSON or NDJSON
        // load refuses them
        @OnlyFor(LoadFormat.CSV) @Parameter(description = "CSV: the first record names the columns. Default: true. "
                + "Not for JSON or NDJSON.", schema = @Schema(type = "boolean")) Boolean header,
        @OnlyFor(LoadFormat.CSV) @Parameter(description = "CSV: field separator, one ASCII character (`\\t` for tab). "
                + "Default: `,`. Not for JSON or NDJSON.") String delimiter,
        @OnlyFor(LoadFormat.CSV) @Parameter(description = "CSV: quote character, one ASCII character. Default: `\"`. "
                + "Not for JSON or NDJSON.") String quote,
        @OnlyFor(LoadFormat.CSV) @Parameter(name = "null", description = "CSV: an unquoted field equal to this is NULL. "
                + "Default: an empty unquoted field is NULL, a quoted empty field \"\" is an empty string. Not for JSON "
                + "or NDJSON.") @BindParam("null") String nullString,
        @OnlyFor(LoadFormat.CSV) @Parameter(description = "CSV with header=false: comma-separated column names of "
                + "the fields, in order. Default: every column of the table in table order. Only with header=false, "
                + "e.g. `name,email`. Not for JSON or NDJSON.")
        String columns,
        @OnlyFor(LoadFormat.JSON) @Parameter(description = "JSON array only: where the array of records is inside "
                + "the top-level value, as a JSON Pointer (RFC 6901). `/data` loads the records of "
                + "`{\"page\":1,\"data\":[...],\"next\":null}`; `/result/items` a nested array; `/pages/0/rows` goes "
                + "through an array by index; `~1` stands for `/` and `~0` for `~` in a member name. Streamed like a "
                + "top-level array: the members before and after it are skipped, never held. Nothing at the pointer, "
                + "or not an array there, is a 400 naming it. Not for CSV or NDJSON. Try it with the "
                + "application/json example *wrapped* and `/data`.") String recordsPath,
        @Parameter(description = "How dates and timestamps whose fields could be read either way are read "
                + "(PostgreSQL's DateStyle, for this load's transactions only): `DMY` reads `31/12/2024` as 31 "
                + "December, `MDY` reads `12/31/2024` so, `YMD` reads `2024/12/31`; `ISO` is PostgreSQL's default "
                + "reading (as MDY). ISO input such as `2024-12-31` is read the same in every style. Any case. "
                + "Default: the database's setting. Try `DMY` with the text/csv example *day-first dates*.",
                schema = @Schema(allowableValues = { "ISO", "MDY", "DMY", "YMD" })) String dateStyle,
        @Parameter(description = "The payload's character set, for a client that cannot put it in the Content-Type "
                + "(`text/csv; charset=windows-1252`), such as a browser's file upload; e.g. `windows-1252` for a "
                + "CSV saved by Excel in Western Europe. Also accepted as a form field `charset` before the file "
                + "part. Names are case-insensitive, with the usual aliases (`latin1`, `cp1252`, `utf8`, `utf16le`). "
                + "`utf-16` takes its byte order from the byte-order mark (big endian without one). Must agree with "
                + "the Content-Type's charset when both are sent (else 400); another charset is a 415. Default: the "
                + "Content-Type's charset, else utf-8.",
                schema = @Schema(allowableValues = { "utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252",
                        "iso-8859-1", "iso-8859-15", "us-ascii" })) String charset,
        @Parameter(description = "`system` stores the values given for `GENERATED ALWAYS AS IDENTITY` columns "
                + "(PostgreSQL's `OVERRIDING SYSTEM VALUE`), with every method. Without it such a value is refused "
                + "with 400 naming the column. A `BY DEFAULT` identity column always takes a given value; a "
                + "generated column never does. An update can never set an identity column (except as the key).",
                schema = @Schema(allowableValues = { "system" })) String overriding,
        @Parameter(description = "Loads a field into a column of another name: `<field>:<column>`, split at the "
                + "last `:`; repeat the parameter for more fields. `<field>` is a CSV header name or a JSON key; "
                + "one starting with `/` is a JSON Pointer (RFC 6901) into the record, for JSON and NDJSON: "
                + "`/user/id:user_id` loads a nested value, `/items/0/sku:sku` an array element (`~1` stands for "
                + "`/`, `~0` for `~`). An empty column drops the field: `_meta:`. A mapped field loads only into "
                + "its column, whatever match says; a payload without the field loads as it would without the "
                + "entry. A column that does not exist, or two fields for one column: 400. A pointer that finds "
                + "nothing leaves the column to its DEFAULT; one that finds an object or array for a column that "
                + "is not json/jsonb, an array or a composite type refuses the record. E.g. `Full Name:name`.",
                examples = @ExampleObject(name = "Full Name:name", summary = "a header Full Name into column name",
                        description = "A CSV header or JSON key `Full Name` loads into column `name`; a payload "
                                + "without it loads as it would without the map.", value = "[\"Full Name:name\"]"),
                array = @ArraySchema(schema = @Schema(type = "string")))
        List<String> map,
        @Parameter(description = "A field that meets no column and is not mapped: `reject` refuses the record "
                + "(Unknown column); `ignore` skips it and names it once in the report's `ignoredFields` (at most "
                + "100 names).", schema = @Schema(allowableValues = { "reject", "ignore" }, defaultValue = "reject"))
        String unknownFields,
        @Parameter(description = "How field names meet column names. `exact`: the same name, else the only column "
                + "differing in case alone. `loose`: names equal once case, spaces, `_`, `-` and `.` are ignored, so "
                + "`E-mail Address`, `email_address` and `EmailAddress` meet. Two fields meeting one column is a 400 "
                + "naming both.", schema = @Schema(allowableValues = { "exact", "loose" }, defaultValue = "exact"))
        String match,
        @Parameter(description = "`true`: when the table does not exist, create it from the payload and load it (in "
                + "the load's transaction when atomic, so a failed atomic load leaves no table; committed first when "
                + "atomic=false). Columns: the CSV header or the JSON keys of the sampled records (after `map`), folded "
                + "to lower-case identifiers (`E-mail Address` -> `e_mail_address`); types inferred from the first "
                + "`sampleRows` records (boolean, bigint, numeric, date, timestamptz, uuid, jsonb, else text); nullable "
                + "unless in `key`, which becomes the primary key (allowed with every mode then). When the table "
                + "exists, nothing about it changes. The report's `table` is then an object: name, created, and for a "
                + "created table the CREATE TABLE statement and each field's column and type; with dryRun=true nothing "
                + "is kept. Needs a create grant (scope `bulkload:create:<schema>.<table-glob>`, or an API key's "
                + "`create-tables`) beside the load grant.", schema = @Schema(type = "boolean", defaultValue = "false"))
        Boolean create,
        @Parameter(description = "With create=true: how many records the column types are inferred from (at most "
                + "bulkload.limits.create-sample-size, 16MB, of payload are held for it). Default 1000, at most 100000.",
                schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100000"))
        Integer sampleRows,
        @Parameter(description = "With create=true: the type of a column, overriding the inferred one: "
                + "`<column>:<type>`, split at the first `:`, repeatable, e.g. `amount:numeric(12,2)` or "
                + "`created:timestamp with time zone`. `<column>` is the new column's name or its field's name. The type "
                + "is checked by PostgreSQL's type parser; an unknown type, or a column the payload does not have, is "
                + "a 400 naming it.", array = @ArraySchema(schema = @Schema(type = "string")))
        List<String> types,
        @Parameter(description = "With atomic=false and mode=insert: how many database connections write the "
                + "load's chunks at once, each chunk in its own transaction; the body is still read once, in order. "
                + "Takes that many of the service's load slots (and of the caller's share). Default 1; at most "
                + "bulkload.load.max-parallel (4). Above 1, refused with atomic=true or a dry run (one transaction) "
                + "and with upsert, ignore and update (a key repeated in two chunks written at once could not keep "
                + "record order). Chunks may commit out of order: a failure reports exactly the rows committed.",
                schema = @Schema(type = "integer", format = "int32", minimum = "1"))
        Integer parallel) {

    /** The most records a create may infer its column types from. */
    public static final int MAX_SAMPLE_ROWS = 100_000;

    /** How many records a create infers its column types from when the request does not say. */
    public static final int DEFAULT_SAMPLE_ROWS = 1_000;

    /**
     * Validates the options into a request.
     * @param defaultBatchSize rows per chunk when the request does not say
     * @param maxBatchSize the largest batchSize a request may ask for
     * @param maxParallel the most writer connections a request may ask for
     * @throws InvalidLoadRequestException naming the first bad parameter
     */
    public LoadRequest toRequest(String table, LoadFormat format, boolean gzip, int defaultBatchSize,
            int maxBatchSize, int maxParallel) {
        WriteMode writeMode = parse("mode", this.mode, WriteMode.INSERT, WriteMode.values());
        LoadMethod loadMethod = parse("method", this.method, LoadMethod.COPY, LoadMethod.values());
        boolean skip = parse("onError", this.onError, OnError.ABORT, OnError.values()) == OnError.SKIP;
        List<String> keyColumns = (this.key == null || this.key.isBlank()) ? List.of()
                : Arrays.stream(this.key.split(",", -1)).map(String::trim).toList();
        boolean creating = Boolean.TRUE.equals(this.create);
        if (!keyColumns.isEmpty() && writeMode == WriteMode.INSERT && !creating) {
            throw new InvalidLoadRequestException("key", "key is for mode=upsert, ignore or update");
        }
        if (keyColumns.stream().anyMatch(String::isEmpty)) {
            throw new InvalidLoadRequestException("key", "key must name columns, separated by commas");
        }
        if (this.maxErrors != null && (this.maxErrors < 0 || !skip)) {
            throw new InvalidLoadRequestException("maxErrors", "maxErrors must be 0 or more, with onError=skip");
        }
        int rows = (this.batchSize != null) ? this.batchSize : defaultBatchSize;
        if (rows < 1 || rows > maxBatchSize) {
            throw new InvalidLoadRequestException("batchSize",
                    "batchSize must be between 1 and " + maxBatchSize);
        }
        boolean overridingSystem = parse("overriding", this.overriding, null, Overriding.values()) != null;
        boolean oneTransaction = !Boolean.FALSE.equals(this.atomic) || Boolean.TRUE.equals(this.dryRun);
        int writers = parallel(oneTransaction, writeMode, maxParallel);
        return new LoadRequest(table, format, gzip, writeMode, keyColumns, loadMethod,
                !Boolean.FALSE.equals(this.atomic), skip, this.maxErrors, rows, Boolean.TRUE.equals(this.dryRun),
                csvFormat(), null, pointer(), parse("dateStyle", this.dateStyle, null, DateStyle.values()),
                PayloadCharset.UTF_8, overridingSystem, fieldMapping(format), tableCreation(creating), writers);
    }

    /** The create options: refused without create=true, where they could only be ignored. */
    private TableCreation tableCreation(boolean creating) {
        if (!creating) {
            if (this.sampleRows != null) {
                throw new InvalidLoadRequestException("sampleRows", "sampleRows is for create=true only");
            }
            if (this.types != null && this.types.stream().anyMatch((entry) -> entry != null && !entry.isEmpty())) {
                throw new InvalidLoadRequestException("types", "types is for create=true only");
            }
            return null;
        }
        int rows = (this.sampleRows != null) ? this.sampleRows : DEFAULT_SAMPLE_ROWS;
        if (rows < 1 || rows > MAX_SAMPLE_ROWS) {
            throw new InvalidLoadRequestException("sampleRows", "sampleRows must be between 1 and " + MAX_SAMPLE_ROWS);
        }
        try {
            return new TableCreation(rows, TypeOverride.parseAll(this.types));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLoadRequestException("types", ex.getMessage());
        }
    }

    /**
     * The writer connections asked for: 1 when not given (1, the load's own connection, fits every load). Only a
     * load that commits chunk by chunk can spread its chunks over connections, and only plain inserts keep their
     * meaning when chunks are written at once.
     */
    private int parallel(boolean oneTransaction, WriteMode writeMode, int maxParallel) {
        if (this.parallel == null) {
            return 1;
        }
        if (this.parallel < 1 || this.parallel > maxParallel) {
            throw new InvalidLoadRequestException("parallel", "parallel must be between 1 and " + maxParallel
                    + " (bulkload.load.max-parallel)");
        }
        if (oneTransaction && this.parallel > 1) {
            throw new InvalidLoadRequestException("parallel", "parallel above 1 is for atomic=false loads only: an atomic "
                    + "load or a dry run is one transaction, written on one connection");
        }
        if (this.parallel > 1 && writeMode != WriteMode.INSERT) {
            throw new InvalidLoadRequestException("parallel", "parallel above 1 is for mode=insert only: with mode="
                    + writeMode.label() + " a key repeated in two chunks written at once could not keep record "
                    + "order (the last occurrence for upsert and update, the first for ignore); load with "
                    + "parallel=1");
        }
        return this.parallel;
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

    /** The pointer to the records, null for a top-level array (also when empty: RFC 6901's whole document). */
    private RecordsPath pointer() {
        if (this.recordsPath == null || this.recordsPath.isEmpty()) {
            return null;
        }
        try {
            return RecordsPath.parse(this.recordsPath);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLoadRequestException("recordsPath", ex.getMessage());
        }
    }

    /**
     * The payload's charset: this {@code charset} parameter (or the upload's {@code charset} form field, which binds
     * like a parameter), else the charset its Content-Type names, else UTF-8.
     * @param declared the charset the body's (or file part's) Content-Type names, or null
     * @throws UnsupportedPayloadException for a charset the service does not read
     * @throws InvalidLoadRequestException when the parameter and the Content-Type name different charsets
     */
    public PayloadCharset payloadCharset(PayloadCharset declared) {
        PayloadCharset asked = (this.charset == null || this.charset.isBlank()) ? null
                : PayloadCharset.named(this.charset);
        if (asked != null && declared != null && asked != declared) {
            throw new InvalidLoadRequestException("charset", "The charset parameter or form field (" + asked.label()
                    + ") disagrees with the Content-Type's charset (" + declared.label()
                    + "); send one, or both the same");
        }
        return (asked != null) ? asked : (declared != null) ? declared : PayloadCharset.UTF_8;
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
        List<String> allowed = Arrays.stream(values)
            .map((e) -> (e instanceof DateStyle) ? e.name() : e.name().toLowerCase(Locale.ROOT))
            .toList();
        throw new InvalidLoadRequestException(parameter, parameter + " must be one of " + allowed);
    }
}
