/**
 * What a JSON value becomes for a column, as PostgreSQL's {@code json_populate_record} reads it: the rule for each
 * column's type shape (scalar, json/jsonb, array, composite), the literal text written for it, and the refusals
 * that name the column.
 */
package dev.bulkload.json.value;
