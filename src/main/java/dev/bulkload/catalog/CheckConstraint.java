package dev.bulkload.catalog;

import java.util.List;

/**
 * A CHECK constraint of a loadable table.
 * @param name the constraint name
 * @param expression the boolean expression as {@code pg_get_expr} renders it, with unqualified column names
 * @param columns the columns it reads
 */
public record CheckConstraint(String name, String expression, List<String> columns) {

    public CheckConstraint {
        columns = List.copyOf(columns);
    }
}
