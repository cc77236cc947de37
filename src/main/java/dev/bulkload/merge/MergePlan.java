package dev.bulkload.merge;

import java.util.List;

import dev.bulkload.row.WriteMode;

/**
 * How staged rows reach the table.
 * @param mode insert, upsert, ignore or update
 * @param key the conflict/match key columns (the primary key or a unique key); empty for insert
 * @param skipBadRows whether refused rows are reported and skipped rather than failing the load
 * @param copy whether rows reach the staging tables by COPY (else by JDBC batch)
 * @param overridingSystemValue whether inserts store given values of {@code GENERATED ALWAYS} identity columns
 */
public record MergePlan(WriteMode mode, List<String> key, boolean skipBadRows, boolean copy,
        boolean overridingSystemValue) {

    public MergePlan {
        key = List.copyOf(key);
    }
}
