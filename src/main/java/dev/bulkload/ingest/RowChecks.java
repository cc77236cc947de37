package dev.bulkload.ingest;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;

/**
 * What the service refuses about a record before the database sees it: a record without columns, a
 * missing or NULL key column (rows are matched by key, and NULL matches nothing).
 */
final class RowChecks {

    private final LoadableTable table;

    private final int[] keyColumns;

    RowChecks(LoadableTable table, int[] keyColumns) {
        this.table = table;
        this.keyColumns = keyColumns;
    }

    /**
     * @throws MalformedRecordException when the record has no columns or lacks a key column
     * @throws RowRejectedException when a key column is NULL
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
    }
}
