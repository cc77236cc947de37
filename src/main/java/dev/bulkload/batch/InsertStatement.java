package dev.bulkload.batch;

import java.util.StringJoiner;

import dev.bulkload.jdbc.Relation;

/** Builds a parameterised {@code INSERT INTO relation (columns) VALUES (?, ...)} from quoted, catalog-resolved identifiers. */
final class InsertStatement {

    private InsertStatement() {
    }

    static String insert(Relation target) {
        StringJoiner names = new StringJoiner(", ", " (", ")");
        StringJoiner values = new StringJoiner(", ", " VALUES (", ")");
        if (target.recordColumn() != null) {
            names.add(target.recordColumn());
            values.add("?");
        }
        for (String column : target.columns()) {
            names.add(column);
            values.add("?");
        }
        return "INSERT INTO " + target.sqlName() + names + values;
    }
}
