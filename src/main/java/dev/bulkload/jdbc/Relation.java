package dev.bulkload.jdbc;

import java.util.List;

/**
 * Where rows go: the table, or a staging table that also takes each row's record number first.
 * @param sqlName the quoted relation name
 * @param columns the quoted column names, in the order of the ledger's encoded values
 * @param recordColumn the quoted name of the record-number column written first, or null
 * @param overridingSystemValue whether an INSERT stores given values of {@code GENERATED ALWAYS} identity columns
 *        ({@code OVERRIDING SYSTEM VALUE}; COPY always does)
 */
public record Relation(String sqlName, List<String> columns, String recordColumn, boolean overridingSystemValue) {

    public Relation {
        columns = List.copyOf(columns);
    }

    /** A relation whose INSERTs store no identity value of their own. */
    public Relation(String sqlName, List<String> columns, String recordColumn) {
        this(sqlName, columns, recordColumn, false);
    }
}
