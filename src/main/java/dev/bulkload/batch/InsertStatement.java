package dev.bulkload.batch;

import java.util.StringJoiner;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;

/** Builds a parameterised {@code INSERT INTO table (columns) VALUES (?, ...)} from catalog-resolved identifiers. */
final class InsertStatement {

    private InsertStatement() {
    }

    static String insert(LoadableTable table, boolean[] columns) {
        StringJoiner names = new StringJoiner(", ", " (", ")");
        StringJoiner values = new StringJoiner(", ", " VALUES (", ")");
        for (int i = 0; i < columns.length; i++) {
            if (columns[i]) {
                names.add(SqlIdentifier.quote(table.columns().get(i).name()));
                values.add("?");
            }
        }
        return "INSERT INTO " + table.sqlName() + names + values;
    }
}
