package dev.bulkload.merge;

import java.util.List;

import dev.bulkload.row.WriteMode;

/**
 * How staged rows reach the table.
 * @param mode insert, upsert, ignore or update
 * @param key the conflict/match key columns (the primary key or a unique key); empty for insert
 * @param skipBadRows whether refused rows are reported and skipped rather than failing the load
 * @param copy whether rows reach the staging tables by COPY (else by JDBC batch)
 */
public record MergePlan(WriteMode mode, List<String> key, boolean skipBadRows, boolean copy) {

    public MergePlan {
        key = List.copyOf(key);
    }
}
