package dev.bulkload.catalog;

import java.util.List;

/**
 * A table the service may load, with its columns in table order and its keys.
 * @param schema the schema name
 * @param name the table name
 * @param columns the columns in attribute order
 * @param primaryKey the primary-key columns, empty when there is none
 * @param uniqueKeys the column lists of the other unique constraints and plain unique indexes
 */
public record LoadableTable(String schema, String name, List<LoadableColumn> columns, List<String> primaryKey,
        List<List<String>> uniqueKeys) {

    public LoadableTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = List.copyOf(uniqueKeys);
    }

    /** {@code schema.name}, unquoted, for reports, logs and metric tags. */
    public String qualifiedName() {
        return this.schema + "." + this.name;
    }

    /** The quoted name for SQL. */
    public String sqlName() {
        return SqlIdentifier.quote(this.schema, this.name);
    }

    /** The index of the column with exactly this name, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < this.columns.size(); i++) {
            if (this.columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of a column named by a payload: an exact match, else the only case-insensitive
     * match, else -1.
     */
    public int resolve(String column) {
        int exact = indexOf(column);
        if (exact >= 0) {
            return exact;
        }
        int found = -1;
        for (int i = 0; i < this.columns.size(); i++) {
            if (this.columns.get(i).name().equalsIgnoreCase(column)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }
}
