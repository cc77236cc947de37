package dev.bulkload.copy;

import java.util.StringJoiner;

import dev.bulkload.jdbc.Relation;

/** Builds {@code COPY relation (columns) FROM STDIN} in text format from catalog-resolved, quoted identifiers. */
final class CopyStatement {

    private CopyStatement() {
    }

    static String copyIn(Relation target) {
        StringJoiner list = new StringJoiner(", ", " (", ")");
        if (target.recordColumn() != null) {
            list.add(target.recordColumn());
        }
        target.columns().forEach(list::add);
        return "COPY " + target.sqlName() + list + " FROM STDIN (FORMAT text)";
    }
}
