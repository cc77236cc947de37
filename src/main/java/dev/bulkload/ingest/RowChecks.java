package dev.bulkload.ingest;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypedValueLimit;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;

/**
 * What the service refuses about a record before the database sees it: a record without columns, a
 * missing or NULL key column (rows are matched by key, and NULL matches nothing), and a value longer
 * than any valid value of its column's type (the server's error would repeat a huge value in full).
 */
final class RowChecks {

    private final LoadableTable table;

    private final int[] keyColumns;

    private final int[] maxBytes;

    RowChecks(LoadableTable table, int[] keyColumns) {
        this.table = table;
        this.keyColumns = keyColumns;
        this.maxBytes = TypedValueLimit.perColumn(table);
    }

    /**
     * @throws MalformedRecordException when the record has no columns or lacks a key column
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
            if (length > 0 && !TypedValueLimit.allows(this.maxBytes[column], length)) {
                LoadableColumn definition = this.table.columns().get(column);
                throw new RowRejectedException("invalid input syntax for type " + definition.type() + ": a value of "
                        + length + " bytes is longer than any value of the type", row.record(), row.line(),
                        definition.name(), "22P02", null);
            }
        }
    }
}
