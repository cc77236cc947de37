package dev.bulkload.copy;

import java.util.StringJoiner;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;

/** Builds {@code COPY table (columns) FROM STDIN} in text format from catalog-resolved identifiers. */
final class CopyStatement {

    private CopyStatement() {
    }

    static String copyIn(LoadableTable table, boolean[] columns) {
        StringJoiner list = new StringJoiner(", ", " (", ")");
        for (int i = 0; i < columns.length; i++) {
            if (columns[i]) {
                list.add(SqlIdentifier.quote(table.columns().get(i).name()));
            }
        }
        return "COPY " + table.sqlName() + list + " FROM STDIN (FORMAT text)";
    }
}
