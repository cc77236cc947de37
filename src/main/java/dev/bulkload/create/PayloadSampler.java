package dev.bulkload.create;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.csv.CsvRecordReader;
import dev.bulkload.json.JsonArrayReader;
import dev.bulkload.json.NdjsonReader;
import dev.bulkload.json.RecordsPath;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.mapping.InvalidMappingException;
import dev.bulkload.mapping.MapEntry;
import dev.bulkload.mapping.UnknownFields;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/**
 * Reads the first records of a payload, with the load's own readers over a {@link SampleBuffer}, to find the
 * columns and types of a table to make from it. First the fields (a CSV header, the JSON keys of the sampled
 * records, the request's {@code map}), then, reading the same bytes again into a stand-in table with a column per
 * field (text for CSV, jsonb for JSON so that a value keeps its JSON kind), each column's {@link ColumnGuess}. A
 * record the reader refuses is left out of the sample (the load refuses it again, in its place); a payload the
 * reader cannot read on fails here as it would in the load; a record cut by the sample's byte limit is left out.
 */
public final class PayloadSampler {

    /** PostgreSQL's most columns in a table. */
    static final int MAX_COLUMNS = 1600;

    private final LoadFormat format;

    private final CsvFormat csv;

    private final RecordsPath recordsPath;

    private final FieldMapping mapping;

    private final ReadLimits limits;

    private final long maxDocument;

    /**
     * @param format the payload's format
     * @param csv the CSV options (CSV payloads)
     * @param recordsPath where a JSON array's records are, or null
     * @param mapping the request's field mapping
     * @param limits the readers' limits
     * @param maxDocument the most bytes of a JSON document
     */
    public PayloadSampler(LoadFormat format, CsvFormat csv, RecordsPath recordsPath, FieldMapping mapping,
            ReadLimits limits, long maxDocument) {
        this.format = format;
        this.csv = csv;
        this.recordsPath = recordsPath;
        this.mapping = mapping;
        this.limits = limits;
        this.maxDocument = maxDocument;
    }

    /**
     * Samples the first {@code sampleRows} records of the buffer's payload.
     * @throws PayloadException as the load's reader would for a payload it cannot read, and (malformed-payload) for
     * a payload without fields or two fields that fold into one column name
     */
    public PayloadSample sample(SampleBuffer buffer, int sampleRows) {
        try {
            return sampled(buffer, sampleRows);
        }
        catch (InvalidMappingException ex) {
            // as for a table that exists: two fields into one column, a map to a column the fields do not give, …
            throw new CreateParameterException(ex.parameter(), ex.getMessage());
        }
    }

    private PayloadSample sampled(SampleBuffer buffer, int sampleRows) {
        if (this.format == LoadFormat.CSV && !this.csv.header() && this.csv.columns().isEmpty()) {
            throw new MalformedPayloadException("create=true with header=false needs columns=<name>,... to name the "
                    + "new table's columns");
        }
        // the columns the request's map names exist in both stand-in tables
        Map<String, String> targets = new LinkedHashMap<>();
        for (MapEntry entry : this.mapping.entries()) {
            if (!entry.drops()) {
                targets.putIfAbsent(entry.column(), entry.field());
            }
        }
        Discovery discovery = discover(buffer, sampleRows, new ArrayList<>(targets.keySet()));
        List<String> order = order(discovery, targets);
        if (order.isEmpty()) {
            throw new MalformedPayloadException("The payload has no fields to make columns of");
        }
        if (order.size() > MAX_COLUMNS) {
            throw new PayloadTooLargeException("The payload has " + order.size() + " fields; a PostgreSQL table has at "
                    + "most " + MAX_COLUMNS + " columns");
        }
        ColumnGuess[] guesses = new ColumnGuess[order.size()];
        long records = infer(buffer, sampleRows, order, guesses);
        List<SampledField> fields = new ArrayList<>();
        Map<String, String> fieldOfColumn = new HashMap<>();
        Map<String, String> columnOf = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            String field = targets.containsKey(name) && !discovery.unknown().contains(name) ? targets.get(name) : name;
            String column = ColumnNames.fold(name, i + 1);
            String earlier = fieldOfColumn.putIfAbsent(column, field);
            if (earlier != null) {
                throw new MalformedPayloadException("Fields '" + TypeOverride.printable(earlier) + "' and '"
                        + TypeOverride.printable(field) + "' both make column '" + column + "'; load one of them into "
                        + "another column with map=<field>:<column>, or drop it with map=<field>:", null, null,
                        column);
            }
            columnOf.put(name, column);
            fields.add(new SampledField(field, column, guesses[i].type()));
        }
        return new PayloadSample(fields, loadMapping(discovery, columnOf), records);
    }

    /** The request's entries with their columns folded, and one entry for each other field sampled. */
    private FieldMapping loadMapping(Discovery discovery, Map<String, String> columnOf) {
        List<MapEntry> entries = new ArrayList<>();
        for (MapEntry entry : this.mapping.entries()) {
            entries.add(entry.drops() ? entry : new MapEntry(entry.field(), entry.pointer(), columnOf.get(entry.column())));
        }
        for (String name : discovery.unknown()) {
            // a field by its own name, even one starting with '/': no pointer
            entries.add(new MapEntry(name, null, columnOf.get(name)));
        }
        return new FieldMapping(entries, this.mapping.match(), this.mapping.unknownFields());
    }

    /** The new table's columns by stand-in name, in order of their fields' first appearance. */
    private List<String> order(Discovery discovery, Map<String, String> targets) {
        Map<String, List<String>> targetsOfField = new HashMap<>();
        for (MapEntry entry : this.mapping.entries()) {
            if (!entry.drops()) {
                String field = (entry.pointer() != null) ? entry.pointer().tokens().get(0) : entry.field();
                targetsOfField.computeIfAbsent(field, (k) -> new ArrayList<>()).add(entry.column());
            }
        }
        Set<String> order = new LinkedHashSet<>();
        for (String name : discovery.seen()) {
            if (discovery.unknown().contains(name)) {
                order.add(name);
            }
            order.addAll(targetsOfField.getOrDefault(name, List.of()));
        }
        // a column the map names whose field the sample did not hold is made too
        order.addAll(targets.keySet());
        return new ArrayList<>(order);
    }

    /** The fields of the first records: every name met, and those that meet no column the map names. */
    private Discovery discover(SampleBuffer buffer, int sampleRows, List<String> targets) {
        LoadableTable standIn = standIn(targets);
        FieldMapping discovering = new FieldMapping(this.mapping.entries(), this.mapping.match(), UnknownFields.IGNORE);
        FieldColumns fields = discovering.discover(standIn, MAX_COLUMNS + 1);
        // a CSV payload's fields are its header's: one record reads it
        int records = (this.format == LoadFormat.CSV) ? 1 : sampleRows;
        read(buffer, standIn, fields, records, null);
        return new Discovery(fields.seenFields(), new LinkedHashSet<>(fields.ignoredFields()));
    }

    /** Reads the sample again into a column per field, each value into its column's guess; the records read. */
    private long infer(SampleBuffer buffer, int sampleRows, List<String> columns, ColumnGuess[] guesses) {
        for (int i = 0; i < guesses.length; i++) {
            guesses[i] = new ColumnGuess();
        }
        LoadableTable standIn = standIn(columns);
        FieldMapping reading = new FieldMapping(this.mapping.entries(), this.mapping.match(), UnknownFields.IGNORE);
        return read(buffer, standIn, reading.bind(standIn, 4 * this.limits.maxColumns()), sampleRows, guesses);
    }

    /**
     * Reads up to {@code records} records; each one is observed once the next one was read whole (or the payload
     * ended), so that a record cut by the sample's byte limit is never observed.
     */
    private long read(SampleBuffer buffer, LoadableTable standIn, FieldColumns fields, int records,
            ColumnGuess[] guesses) {
        Row row = new Row(standIn.columns().size());
        String[] pending = null;
        long observed = 0;
        boolean json = this.format != LoadFormat.CSV;
        try (RowReader reader = reader(buffer.sampling(), standIn, fields)) {
            long read = 0;
            while (read < records) {
                try {
                    if (!reader.next(row)) {
                        break;
                    }
                }
                catch (MalformedRecordException | RecordTooLargeException ex) {
                    // a record the reader refuses on its own is left out; the load refuses it in its place
                    read++;
                    continue;
                }
                read++;
                if (pending != null) {
                    observe(pending, guesses, json);
                    observed++;
                }
                pending = values(row, guesses);
            }
            if (pending != null && !buffer.capped()) {
                observe(pending, guesses, json);
                observed++;
            }
        }
        catch (PayloadException ex) {
            if (!buffer.capped()) {
                throw ex;
            }
            // the sample's byte limit cut the payload: what was read whole is the sample
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return observed;
    }

    private static String[] values(Row row, ColumnGuess[] guesses) {
        if (guesses == null) {
            return new String[0];
        }
        String[] values = new String[guesses.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.text(i);
        }
        return values;
    }

    private static void observe(String[] values, ColumnGuess[] guesses, boolean json) {
        if (guesses == null) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value == null) {
                continue;
            }
            if (json) {
                guesses[i].json(value);
            }
            else {
                guesses[i].text(value);
            }
        }
    }

    private RowReader reader(InputStream in, LoadableTable standIn, FieldColumns fields) {
        return switch (this.format) {
            case CSV -> new CsvRecordReader(in, this.csv, standIn, fields, this.limits);
            case JSON -> new JsonArrayReader(in, standIn, fields, this.limits, this.maxDocument, this.recordsPath);
            case NDJSON -> new NdjsonReader(in, standIn, fields, this.limits, this.maxDocument);
        };
    }

    /** A table with these columns, each text (CSV) or jsonb (JSON, so a value arrives as JSON text). */
    private LoadableTable standIn(List<String> columns) {
        String type = (this.format == LoadFormat.CSV) ? "text" : "jsonb";
        List<LoadableColumn> definitions = columns.stream()
            .map((name) -> new LoadableColumn(name, type, true, false, false))
            .toList();
        return new LoadableTable("", "new table", definitions, List.of(), List.of());
    }

    /**
     * The fields found.
     * @param seen every field name met, in order of first appearance
     * @param unknown those that meet no column the map names: each becomes a column of its own
     */
    private record Discovery(List<String> seen, Set<String> unknown) {
    }
}
