package dev.bulkload.create;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The report's {@code table} for a load with {@code create=true}: the table's name, whether this load created it
 * (or, in a dry run, would have), and for a created table the statement that did and each field's column and type.
 * @param name the table, {@code schema.name}
 * @param created whether the load created the table; false when it existed (and was left as it was)
 * @param statement the CREATE TABLE statement run; absent when the table existed
 * @param columns each field's column and type, in table order; absent when the table existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedTable(String name, boolean created, String statement, List<SampledField> columns) {

    /** A table that existed: create=true changed nothing. */
    public static CreatedTable existing(String name) {
        return new CreatedTable(name, false, null, null);
    }
}
