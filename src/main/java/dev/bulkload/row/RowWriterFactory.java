package dev.bulkload.row;

import dev.bulkload.catalog.LoadableTable;

/** Opens the {@link RowWriter}s of one load, on the transaction's connection. */
public interface RowWriterFactory {

    /**
     * Opens a writer for rows that have exactly the given columns present.
     * @param table the target table
     * @param columns one flag per table column: whether rows carry it
     */
    RowWriter open(LoadableTable table, boolean[] columns);
}
