package dev.bulkload.row;

import dev.bulkload.catalog.LoadableTable;

/**
 * Where a writer puts rows: the table itself, or a staging table with the same column names plus
 * the record number in front.
 * @param table the loadable table the columns come from
 * @param sqlName the quoted name to write into
 * @param relationName the bare relation name PostgreSQL uses in COPY error contexts
 * @param columns one flag per table column: whether rows carry it
 * @param recordColumn the quoted name of a leading column that receives the record number, or null
 */
public record WriteTarget(LoadableTable table, String sqlName, String relationName, boolean[] columns,
        String recordColumn) {

    /** The table itself. */
    public static WriteTarget table(LoadableTable table, boolean[] columns) {
        return new WriteTarget(table, table.sqlName(), table.name(), columns, null);
    }
}
