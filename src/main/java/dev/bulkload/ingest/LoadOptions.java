package dev.bulkload.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.web.bind.annotation.BindParam;

import dev.bulkload.csv.CsvFormat;

/**
 * The query parameters of a load, as sent; {@link #toRequest} validates them.
 * @param mode write mode
 * @param method copy or batch
 * @param atomic one transaction, or a commit per chunk
 * @param onError what a bad row does
 * @param batchSize rows per chunk
 * @param dryRun roll back at the end
 * @param header CSV: whether the first record names the columns
 * @param delimiter CSV field separator
 * @param quote CSV quote character
 * @param nullString CSV text meaning NULL
 * @param columns CSV columns when header=false
 */
public record LoadOptions(
        @Parameter(description = "Write mode. `insert` adds every row; a duplicate key is a rejected row.",
                schema = @Schema(allowableValues = { "insert" }, defaultValue = "insert")) String mode,
        @Parameter(description = "`copy` streams rows with COPY FROM STDIN; `batch` uses JDBC batched INSERTs.",
                schema = @Schema(allowableValues = { "copy", "batch" }, defaultValue = "copy")) String method,
        @Parameter(description = "`true`: the whole request is one transaction and a failure leaves no row behind. "
                + "`false`: each chunk commits on its own; a failure reports how many rows were committed.",
                schema = @Schema(defaultValue = "true")) Boolean atomic,
        @Parameter(description = "On a bad row: `abort` rolls back and fails the load with 422.",
                schema = @Schema(allowableValues = { "abort" }, defaultValue = "abort")) String onError,
        @Parameter(description = "Rows per chunk (a chunk also ends at bulkload.load.batch-bytes). "
                + "Default from bulkload.load.batch-size.", schema = @Schema(minimum = "1", example = "50000"))
        Integer batchSize,
        @Parameter(description = "Do everything, then roll back: the report says what would happen.",
                schema = @Schema(defaultValue = "false")) Boolean dryRun,
        @Parameter(description = "CSV: the first record names the columns.", schema = @Schema(defaultValue = "true"))
        Boolean header,
        @Parameter(description = "CSV: field separator, one ASCII character (`\\t` for tab).",
                schema = @Schema(defaultValue = ",")) String delimiter,
        @Parameter(description = "CSV: quote character, one ASCII character.", schema = @Schema(defaultValue = "\""))
        String quote,
        @Parameter(name = "null", description = "CSV: an unquoted field equal to this is NULL. "
                + "Default: an empty unquoted field is NULL, a quoted empty field \"\" is an empty string.",
                schema = @Schema(defaultValue = "")) @BindParam("null") String nullString,
        @Parameter(description = "CSV with header=false: comma-separated column names of the fields, in order. "
                + "Default: every column of the table in table order.", example = "name,email") String columns) {

    /**
     * Validates the options into a request.
     * @throws InvalidLoadRequestException naming the first bad parameter
     */
    LoadRequest toRequest(String table, LoadFormat format, boolean gzip, LoadProperties defaults) {
        LoadMode loadMode = parse("mode", this.mode, LoadMode.INSERT, LoadMode.values());
        LoadMethod loadMethod = parse("method", this.method, LoadMethod.COPY, LoadMethod.values());
        if (this.onError != null && !this.onError.equalsIgnoreCase("abort")) {
            throw new InvalidLoadRequestException("onError",
                    "onError must be 'abort'; 'skip' is not available in this version");
        }
        int rows = (this.batchSize != null) ? this.batchSize : defaults.batchSize();
        if (rows < 1 || rows > defaults.maxBatchSize()) {
            throw new InvalidLoadRequestException("batchSize",
                    "batchSize must be between 1 and " + defaults.maxBatchSize());
        }
        return new LoadRequest(table, format, gzip, loadMode, loadMethod, !Boolean.FALSE.equals(this.atomic), rows,
                Boolean.TRUE.equals(this.dryRun), csvFormat());
    }

    private CsvFormat csvFormat() {
        boolean hasHeader = !Boolean.FALSE.equals(this.header);
        char delimiterChar = character("delimiter", this.delimiter, ',');
        char quoteChar = character("quote", this.quote, '"');
        List<String> columnList = (this.columns == null || this.columns.isBlank()) ? List.of()
                : Arrays.stream(this.columns.split(",", -1)).map(String::trim).toList();
        try {
            return new CsvFormat(hasHeader, delimiterChar, quoteChar, (this.nullString != null) ? this.nullString : "",
                    columnList);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLoadRequestException("csv", ex.getMessage());
        }
    }

    private static char character(String parameter, String value, char fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) >= 128) {
            throw new InvalidLoadRequestException(parameter, parameter + " must be one ASCII character");
        }
        return value.charAt(0);
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
