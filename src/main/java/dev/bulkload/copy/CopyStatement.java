package dev.bulkload.copy;

import java.util.StringJoiner;

import dev.bulkload.jdbc.Relation;

/**
 * Builds {@code COPY relation (columns) FROM STDIN} in text format from catalog-resolved, quoted identifiers; with
 * {@code FREEZE} for a table created in the transaction, written at its top level (the caller knows; PostgreSQL
 * refuses FREEZE anywhere else).
 */
final class CopyStatement {

    private CopyStatement() {
    }

    static String copyIn(Relation target) {
        return copyIn(target, false);
    }

    /** @param freeze whether the rows are written frozen ({@code FREEZE}) */
    static String copyIn(Relation target, boolean freeze) {
        StringJoiner list = new StringJoiner(", ", " (", ")");
        if (target.recordColumn() != null) {
            list.add(target.recordColumn());
        }
        target.columns().forEach(list::add);
        return "COPY " + target.sqlName() + list + " FROM STDIN (FORMAT text" + (freeze ? ", FREEZE)" : ")");
    }
}
