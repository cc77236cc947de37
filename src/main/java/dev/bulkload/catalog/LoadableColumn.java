package dev.bulkload.catalog;

/**
 * A column of a loadable table.
 * @param name the column name as PostgreSQL stores it
 * @param type the SQL type as {@code format_type} renders it
 * @param nullable whether NULL is allowed
 * @param hasDefault whether an absent value takes a DEFAULT (or identity) value
 * @param generated whether the column is generated and so can never be given
 */
public record LoadableColumn(String name, String type, boolean nullable, boolean hasDefault, boolean generated) {
}
