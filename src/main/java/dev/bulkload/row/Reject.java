package dev.bulkload.row;

/**
 * A refused row.
 * @param record the 1-based data record
 * @param line the 1-based line it starts on
 * @param column the column at fault, when known
 * @param sqlState the PostgreSQL SQLSTATE, null for a malformed record
 * @param constraint the violated constraint, when known
 * @param message the reason
 * @param raw the record's original text, truncated; null when not kept
 */
public record Reject(long record, Long line, String column, String sqlState, String constraint, String message,
        String raw) {
}
