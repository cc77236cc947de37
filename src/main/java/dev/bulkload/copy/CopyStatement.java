package dev.bulkload.copy;

import java.util.StringJoiner;

import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.WriteTarget;

/** Builds {@code COPY target (columns) FROM STDIN} in text format from catalog-resolved identifiers. */
final class CopyStatement {

    private CopyStatement() {
    }

    static String copyIn(WriteTarget target) {
        StringJoiner list = new StringJoiner(", ", " (", ")");
        if (target.recordColumn() != null) {
            list.add(target.recordColumn());
        }
        boolean[] columns = target.columns();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i]) {
                list.add(SqlIdentifier.quote(target.table().columns().get(i).name()));
            }
        }
        return "COPY " + target.sqlName() + list + " FROM STDIN (FORMAT text)";
    }
}
