package dev.bulkload.ingest;

import java.util.List;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.idempotency.KeyedRequest;
import dev.bulkload.row.WriteMode;

/**
 * One load, as the controller understood the HTTP request.
 * @param table the {@code {table}} path segment
 * @param format the payload format
 * @param gzip whether the payload is gzip-compressed
 * @param mode how rows are written
 * @param key the requested conflict/match key columns; empty means the primary key
 * @param method COPY or JDBC batch
 * @param atomic one transaction for the whole load, or a commit per chunk
 * @param skipBadRows {@code onError=skip}: load the good rows and report the bad ones
 * @param maxErrors with skipBadRows, the most rejects tolerated; null for no limit
 * @param batchSize most rows per chunk
 * @param dryRun roll everything back at the end
 * @param csv CSV options (ignored for JSON)
 * @param idempotencyKey the {@code Idempotency-Key} header's key, or null
 * @param overridingSystemValue {@code overriding=system}: given values of {@code GENERATED ALWAYS} identity
 *        columns are stored ({@code OVERRIDING SYSTEM VALUE}) instead of refused
 */
public record LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
        LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
        CsvFormat csv, String idempotencyKey, boolean overridingSystemValue) implements KeyedRequest {

    public LoadRequest {
        key = List.copyOf(key);
    }

    /** A load that stores no identity value of its own. */
    public LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
            LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
            CsvFormat csv, String idempotencyKey) {
        this(table, format, gzip, mode, key, method, atomic, skipBadRows, maxErrors, batchSize, dryRun, csv,
                idempotencyKey, false);
    }

    /** A load without an Idempotency-Key. */
    public LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
            LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
            CsvFormat csv) {
        this(table, format, gzip, mode, key, method, atomic, skipBadRows, maxErrors, batchSize, dryRun, csv, null);
    }

    /** The same load, sent with an Idempotency-Key. */
    public LoadRequest withIdempotencyKey(String idempotencyKey) {
        return new LoadRequest(this.table, this.format, this.gzip, this.mode, this.key, this.method, this.atomic,
                this.skipBadRows, this.maxErrors, this.batchSize, this.dryRun, this.csv, idempotencyKey,
                this.overridingSystemValue);
    }

    @Override
    public String writtenOptions() {
        return String.join("\n", this.format.label(), Boolean.toString(this.gzip), this.mode.label(),
                String.join(",", this.key), this.method.label(), Boolean.toString(this.atomic),
                Boolean.toString(this.skipBadRows), String.valueOf(this.maxErrors), Integer.toString(this.batchSize),
                Boolean.toString(this.dryRun), Boolean.toString(this.csv.header()),
                Character.toString(this.csv.delimiter()), Character.toString(this.csv.quote()), this.csv.nullString(),
                String.join(",", this.csv.columns()))
                // only when given, so a key's fingerprint from before the option stays the same
                + (this.overridingSystemValue ? "\noverriding=system" : "");
    }

    /** The same load, written with {@code method}. */
    public LoadRequest withMethod(LoadMethod method) {
        return new LoadRequest(this.table, this.format, this.gzip, this.mode, this.key, method, this.atomic,
                this.skipBadRows, this.maxErrors, this.batchSize, this.dryRun, this.csv, this.idempotencyKey,
                this.overridingSystemValue);
    }
}
