package dev.bulkload.batch;

import java.util.StringJoiner;

import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.WriteTarget;

/** Builds a parameterised {@code INSERT INTO target (columns) VALUES (?, ...)} from catalog-resolved identifiers. */
final class InsertStatement {

    private InsertStatement() {
    }

    static String insert(WriteTarget target) {
        StringJoiner names = new StringJoiner(", ", " (", ")");
        StringJoiner values = new StringJoiner(", ", " VALUES (", ")");
        if (target.recordColumn() != null) {
            names.add(target.recordColumn());
            values.add("?");
        }
        boolean[] columns = target.columns();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i]) {
                names.add(SqlIdentifier.quote(target.table().columns().get(i).name()));
                values.add("?");
            }
        }
        return "INSERT INTO " + target.sqlName() + names + values;
    }
}
