package dev.bulkload.ingest;

import java.util.stream.IntStream;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypedValueLimit;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.WriteMode;

/**
 * What the service refuses about a record before the database sees it: a record without columns, a
 * missing or NULL key column (rows are matched by key, and NULL matches nothing), a value for a
 * {@code GENERATED ALWAYS} identity column the load may not store (the same for COPY, which would store
 * it silently, and for batch), and a value longer than its type's bound that PostgreSQL would certainly
 * refuse (the server's error would repeat a huge value in full; see {@link TypedValueLimit}).
 */
final class RowChecks {

    private final LoadableTable table;

    private final int[] keyColumns;

    private final TypedValueLimit[] limits;

    private final int[] maxBytes;

    /** Per column, why a record may not carry it, or null. */
    private final String[] refusedColumns;

    /** The columns a record may not carry (mostly none: then a record costs nothing here). */
    private final int[] refused;

    /** Whether every record has the columns of the CSV header, so a refused column refuses the payload. */
    private final boolean header;

    /** The line of the CSV header naming the columns, null when the columns come from {@code columns=}. */
    private final Long headerLine;

    RowChecks(LoadContext context, int serverVersion) {
        this.table = context.table();
        this.keyColumns = context.keyColumns();
        this.limits = TypedValueLimit.perColumn(this.table, serverVersion);
        this.maxBytes = new int[this.limits.length];
        for (int i = 0; i < this.limits.length; i++) {
            this.maxBytes[i] = (this.limits[i] != null) ? this.limits[i].maxBytes() : Integer.MAX_VALUE;
        }
        this.refusedColumns = refusedColumns(context);
        this.refused = IntStream.range(0, this.refusedColumns.length)
            .filter((i) -> this.refusedColumns[i] != null)
            .toArray();
        this.header = context.request().format() == LoadFormat.CSV;
        this.headerLine = (this.header && context.request().csv().header()) ? 1L : null;
    }

    /**
     * @throws MalformedRecordException when the record has no columns, lacks a key column or carries a column
     *         it may not (a {@link MalformedPayloadException} for a CSV header's column)
     * @throws RowRejectedException when a key column is NULL or a value cannot be of its column's type
     */
    void check(Row row) {
        boolean any = false;
        for (int i = 0; i < row.columnCount() && !any; i++) {
            any = row.isPresent(i);
        }
        if (!any) {
            throw new MalformedRecordException("Record has no columns", row.record(), row.line(), null);
        }
        for (int column : this.refused) {
            if (row.isPresent(column)) {
                String name = this.table.columns().get(column).name();
                if (this.header) {
                    throw new MalformedPayloadException(this.refusedColumns[column], null, this.headerLine, name);
                }
                throw new MalformedRecordException(this.refusedColumns[column], row.record(), row.line(), name);
            }
        }
        for (int column : this.keyColumns) {
            String name = this.table.columns().get(column).name();
            if (!row.isPresent(column)) {
                throw new MalformedRecordException("Key column '" + name + "' is missing", row.record(), row.line(),
                        name);
            }
            if (row.isNull(column)) {
                throw new RowRejectedException("key column \"" + name + "\" is null; rows are matched by key",
                        row.record(), row.line(), name, "23502", null);
            }
        }
        for (int column = 0; column < this.maxBytes.length; column++) {
            int length = row.length(column);
            if (length > this.maxBytes[column]) {
                TypedValueLimit.Refusal refusal = this.limits[column].refusal(row.data(), row.start(column), length);
                if (refusal != null) {
                    throw new RowRejectedException(refusal.message(), row.record(), row.line(),
                            this.table.columns().get(column).name(), refusal.sqlState(), null);
                }
            }
        }
    }

    /**
     * The columns a record may not carry: a {@code GENERATED ALWAYS} identity column takes a given value only in
     * an insert that asks for it ({@code overriding=system}, {@code OVERRIDING SYSTEM VALUE}), and an UPDATE can
     * only set it to its default, so an upsert or update may name it only as the key (an update matches the key,
     * it never stores it).
     */
    private static String[] refusedColumns(LoadContext context) {
        LoadableTable table = context.table();
        WriteMode mode = context.request().mode();
        String[] refused = new String[table.columns().size()];
        for (int i = 0; i < refused.length; i++) {
            LoadableColumn column = table.columns().get(i);
            if (!column.identityAlways()) {
                continue;
            }
            boolean key = context.key().contains(column.name());
            String what = "Column '" + column.name() + "' is GENERATED ALWAYS AS IDENTITY";
            if (!key && (mode == WriteMode.UPSERT || mode == WriteMode.UPDATE)) {
                refused[i] = what + ": an update can only set it to its default, so mode=" + mode.label()
                        + " cannot take it (except as the key)";
            }
            else if (mode != WriteMode.UPDATE && !context.request().overridingSystemValue()) {
                refused[i] = what + ": PostgreSQL generates its values; send overriding=system to store the given "
                        + "ones instead";
            }
        }
        return refused;
    }
}
