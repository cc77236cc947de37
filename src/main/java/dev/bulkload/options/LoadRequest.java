package dev.bulkload.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.body.PayloadCharset;
import dev.bulkload.create.TableCreation;
import dev.bulkload.create.TypeOverride;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.idempotency.KeyedRequest;
import dev.bulkload.json.RecordsPath;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.mapping.MapEntry;
import dev.bulkload.mapping.NameMatch;
import dev.bulkload.mapping.UnknownFields;
import dev.bulkload.row.WriteMode;
import dev.bulkload.session.DateStyle;

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
 * @param recordsPath JSON array format: where the array of records is inside the top-level value; null for the
 * top-level value itself
 * @param dateStyle how dates and timestamps are read; null for the database's setting
 * @param charset the payload's charset
 * @param overridingSystemValue {@code overriding=system}: given values of {@code GENERATED ALWAYS} identity
 *        columns are stored ({@code OVERRIDING SYSTEM VALUE}) instead of refused
 * @param mapping which column each field loads into ({@code map}, {@code match}, {@code unknownFields})
 * @param creation with {@code create=true}: how a table that does not exist is made from the payload; else null
 * @param parallel connections that write the chunks of a non-atomic load at once (1: the load's own)
 */
public record LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
        LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
        CsvFormat csv, String idempotencyKey, RecordsPath recordsPath, DateStyle dateStyle, PayloadCharset charset,
        boolean overridingSystemValue, FieldMapping mapping, TableCreation creation,
        int parallel) implements KeyedRequest {

    public LoadRequest {
        key = List.copyOf(key);
        mapping = (mapping != null) ? mapping : FieldMapping.NONE;
        parallel = Math.max(1, parallel);
    }

    /** A load into a table that must exist (no {@code create}), written on its own connection alone. */
    public LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
            LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
            CsvFormat csv, String idempotencyKey, RecordsPath recordsPath, DateStyle dateStyle, PayloadCharset charset,
            boolean overridingSystemValue, FieldMapping mapping) {
        this(table, format, gzip, mode, key, method, atomic, skipBadRows, maxErrors, batchSize, dryRun, csv,
                idempotencyKey, recordsPath, dateStyle, charset, overridingSystemValue, mapping, null, 1);
    }

    /** A load that reads its fields by their own names (no {@code map}, exact names, unknown fields refused). */
    public LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
            LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
            CsvFormat csv, String idempotencyKey, RecordsPath recordsPath, DateStyle dateStyle, PayloadCharset charset,
            boolean overridingSystemValue) {
        this(table, format, gzip, mode, key, method, atomic, skipBadRows, maxErrors, batchSize, dryRun, csv,
                idempotencyKey, recordsPath, dateStyle, charset, overridingSystemValue, FieldMapping.NONE);
    }

    /** A UTF-8 load without an Idempotency-Key. */
    public LoadRequest(String table, LoadFormat format, boolean gzip, WriteMode mode, List<String> key,
            LoadMethod method, boolean atomic, boolean skipBadRows, Integer maxErrors, int batchSize, boolean dryRun,
            CsvFormat csv) {
        this(table, format, gzip, mode, key, method, atomic, skipBadRows, maxErrors, batchSize, dryRun, csv, null, null,
                null, PayloadCharset.UTF_8, false);
    }

    /** The same load, sent with an Idempotency-Key. */
    public LoadRequest withIdempotencyKey(String idempotencyKey) {
        return new LoadRequest(this.table, this.format, this.gzip, this.mode, this.key, this.method, this.atomic,
                this.skipBadRows, this.maxErrors, this.batchSize, this.dryRun, this.csv, idempotencyKey, this.recordsPath,
                this.dateStyle, this.charset, this.overridingSystemValue, this.mapping, this.creation, this.parallel);
    }

    /** The same load, its payload in {@code charset}. */
    public LoadRequest withCharset(PayloadCharset charset) {
        return new LoadRequest(this.table, this.format, this.gzip, this.mode, this.key, this.method, this.atomic,
                this.skipBadRows, this.maxErrors, this.batchSize, this.dryRun, this.csv, this.idempotencyKey,
                this.recordsPath, this.dateStyle, charset, this.overridingSystemValue, this.mapping, this.creation,
                this.parallel);
    }

    /**
     * {@inheritDoc} The options added since the first fingerprints follow as {@code name=value} lines, each only when
     * the load uses it: the fingerprint of a load without them is what it always was.
     */
    @Override
    public String writtenOptions() {
        StringBuilder options = new StringBuilder(String.join("\n", this.format.label(), Boolean.toString(this.gzip),
                this.mode.label(), String.join(",", this.key), this.method.label(), Boolean.toString(this.atomic),
                Boolean.toString(this.skipBadRows), String.valueOf(this.maxErrors), Integer.toString(this.batchSize),
                Boolean.toString(this.dryRun), Boolean.toString(this.csv.header()),
                Character.toString(this.csv.delimiter()), Character.toString(this.csv.quote()), this.csv.nullString(),
                String.join(",", this.csv.columns())));
        if (this.recordsPath != null) {
            options.append("\nrecordsPath=").append(this.recordsPath.pointer());
        }
        if (this.dateStyle != null) {
            options.append("\ndateStyle=").append(this.dateStyle.name());
        }
        // the same bytes in another charset are another payload; a UTF-8 load keeps the fingerprint it always had
        if (this.charset != PayloadCharset.UTF_8) {
            options.append("\ncharset=").append(this.charset.label());
        }
        if (this.overridingSystemValue) {
            options.append("\noverriding=system");
        }
        String mapping = this.mapping.writtenOptions();
        if (!mapping.isEmpty()) {
            options.append('\n').append(mapping);
        }
        if (this.creation != null) {
            options.append('\n').append(this.creation.writtenOptions());
        }
        // a parallel load's ledger may hold chunks out of order: only a parallel load resumes it
        if (this.parallel > 1) {
            options.append("\nparallel=").append(this.parallel);
        }
        return options.toString();
    }

    /**
     * The options of this load that differ from their defaults, by parameter name, in the order of the parameters:
     * what the report's and the registry's {@code options} show (mode, method, atomic and dryRun have fields of their
     * own). Values as the load used them: {@code onError} {@code "skip"}, {@code dateStyle} {@code "DMY"}.
     * @param defaultBatchSize the service's batch size, which a load that did not ask for another one uses
     */
    public Map<String, Object> usedOptions(int defaultBatchSize) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (!this.key.isEmpty()) {
            options.put("key", String.join(",", this.key));
        }
        if (this.skipBadRows) {
            options.put("onError", "skip");
        }
        if (this.maxErrors != null) {
            options.put("maxErrors", this.maxErrors);
        }
        if (this.batchSize != defaultBatchSize) {
            options.put("batchSize", this.batchSize);
        }
        if (this.format == LoadFormat.CSV) {
            if (!this.csv.header()) {
                options.put("header", false);
            }
            if (this.csv.delimiter() != ',') {
                options.put("delimiter", Character.toString(this.csv.delimiter()));
            }
            if (this.csv.quote() != '"') {
                options.put("quote", Character.toString(this.csv.quote()));
            }
            if (!this.csv.nullString().isEmpty()) {
                options.put("null", this.csv.nullString());
            }
            if (!this.csv.columns().isEmpty()) {
                options.put("columns", String.join(",", this.csv.columns()));
            }
        }
        if (this.recordsPath != null) {
            options.put("recordsPath", this.recordsPath.pointer());
        }
        if (this.dateStyle != null) {
            options.put("dateStyle", this.dateStyle.name());
        }
        if (this.charset != PayloadCharset.UTF_8) {
            options.put("charset", this.charset.label());
        }
        if (this.overridingSystemValue) {
            options.put("overriding", "system");
        }
        if (!this.mapping.entries().isEmpty()) {
            options.put("map", this.mapping.entries().stream().map(MapEntry::text).toList());
        }
        if (this.mapping.unknownFields() != UnknownFields.REJECT) {
            options.put("unknownFields", this.mapping.unknownFields().label());
        }
        if (this.mapping.match() != NameMatch.EXACT) {
            options.put("match", this.mapping.match().label());
        }
        if (this.creation != null) {
            options.put("create", true);
            options.put("sampleRows", this.creation.sampleRows());
            if (!this.creation.types().isEmpty()) {
                options.put("types", this.creation.types().stream().map(TypeOverride::text).toList());
            }
        }
        if (this.parallel > 1) {
            options.put("parallel", this.parallel);
        }
        return options;
    }

    /** The same load, written with {@code method}. */
    public LoadRequest withMethod(LoadMethod method) {
        return new LoadRequest(this.table, this.format, this.gzip, this.mode, this.key, method, this.atomic,
                this.skipBadRows, this.maxErrors, this.batchSize, this.dryRun, this.csv, this.idempotencyKey,
                this.recordsPath, this.dateStyle, this.charset, this.overridingSystemValue, this.mapping, this.creation,
                this.parallel);
    }
}
