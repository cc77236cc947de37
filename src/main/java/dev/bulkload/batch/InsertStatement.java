package dev.bulkload.batch;

import java.util.StringJoiner;

import dev.bulkload.jdbc.Relation;

/**
 * Builds a parameterised multi-row {@code INSERT INTO relation (columns) VALUES (?, ...), (?, ...)} from
 * quoted, catalog-resolved identifiers, with {@code OVERRIDING SYSTEM VALUE} when the relation asks for it.
 */
final class InsertStatement {

    /** PostgreSQL's limit on bind parameters in one statement. */
    static final int MAX_PARAMETERS = 32767;

    private InsertStatement() {
    }

    /** The parameters one row binds. */
    static int parametersPerRow(Relation target) {
        return target.columns().size() + ((target.recordColumn() != null) ? 1 : 0);
    }

    static String insert(Relation target, int rows) {
        StringJoiner names = new StringJoiner(", ", " (", ")");
        if (target.recordColumn() != null) {
            names.add(target.recordColumn());
        }
        target.columns().forEach(names::add);
        StringJoiner row = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < parametersPerRow(target); i++) {
            row.add("?");
        }
        StringJoiner values = new StringJoiner(", ", " VALUES ", "");
        String oneRow = row.toString();
        for (int i = 0; i < rows; i++) {
            values.add(oneRow);
        }
        return "INSERT INTO " + target.sqlName() + names
                + (target.overridingSystemValue() ? " OVERRIDING SYSTEM VALUE" : "") + values;
    }
}
