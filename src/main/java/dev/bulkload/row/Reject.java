package dev.bulkload.row;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A refused row.
 * @param record the 1-based data record
 * @param line the 1-based line it starts on
 * @param column the column at fault, when known
 * @param sqlState the PostgreSQL SQLSTATE, null for a malformed record
 * @param constraint the violated constraint, when known
 * @param message the reason
 * @param raw the record's original text, truncated; null when not kept
 * @param rawTruncated whether {@code raw} is not the record as received: cut at the raw limit (it then ends in
 *        "…"), or holding bytes that are not UTF-8 text (shown as U+FFFD); such a record is left out of the rejected
 *        records to load again; not part of the report
 */
public record Reject(long record, Long line, String column, String sqlState, String constraint, String message,
        String raw, @JsonIgnore boolean rawTruncated) {

    /** A reject whose raw text, if any, is the whole record. */
    public Reject(long record, Long line, String column, String sqlState, String constraint, String message,
            String raw) {
        this(record, line, column, sqlState, constraint, message, raw, false);
    }
}
