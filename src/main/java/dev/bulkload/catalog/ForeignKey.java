package dev.bulkload.catalog;

import java.util.List;

/**
 * A foreign key of a loadable table.
 * @param name the constraint name
 * @param columns the referencing columns, in key order
 * @param referencedTable the referenced table as {@code regclass} renders it (quoted where needed)
 * @param referencedColumns the referenced columns, in key order
 * @param readable whether the current user may SELECT the referenced table (needed to check it ahead)
 * @param selfReferencing whether the referenced table is the table itself
 */
public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
        boolean readable, boolean selfReferencing) {

    public ForeignKey {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }
}
