package dev.bulkload.catalog;

import java.util.List;

/**
 * A loadable table as the API shows it.
 * @param schema the schema name
 * @param name the table name
 * @param qualifiedName {@code schema.name}, usable as the {@code {table}} path segment
 * @param columns the columns in table order
 * @param primaryKey the primary-key columns, empty when there is none
 * @param uniqueKeys the column lists of the other unique keys
 */
record TableResponse(String schema, String name, String qualifiedName, List<ColumnResponse> columns,
        List<String> primaryKey, List<List<String>> uniqueKeys) {

    static TableResponse of(LoadableTable table) {
        return new TableResponse(table.schema(), table.name(), table.qualifiedName(),
                table.columns().stream().map(ColumnResponse::of).toList(), table.primaryKey(), table.uniqueKeys());
    }

    /**
     * One column.
     * @param name the column name
     * @param type the SQL type
     * @param nullable whether NULL is allowed
     * @param hasDefault whether an absent value takes the column's DEFAULT
     * @param generated whether the column is generated (never loadable)
     */
    record ColumnResponse(String name, String type, boolean nullable, boolean hasDefault, boolean generated) {

        static ColumnResponse of(LoadableColumn column) {
            return new ColumnResponse(column.name(), column.type(), column.nullable(), column.hasDefault(),
                    column.generated());
        }
    }
}
