package dev.bulkload.ingest;

import java.util.List;

/**
 * What happened to every row of a load.
 * @param table the table, {@code schema.name}
 * @param format csv, json or ndjson
 * @param mode the write mode
 * @param method copy or batch
 * @param atomic whether the load ran as one transaction
 * @param dryRun whether it was rolled back on purpose
 * @param rowsReceived data records read from the payload
 * @param rowsInserted rows inserted (would have been, in a dry run)
 * @param rowsUpdated rows updated
 * @param rowsSkipped rows skipped
 * @param rowsRejected rows refused
 * @param rejects the refused rows, capped
 * @param rejectsTruncated whether more rows were refused than listed
 * @param batches chunks written
 * @param bytesRead bytes of the request body as sent (compressed, when gzip)
 * @param durationMs wall time of the load
 * @param rowsPerSecond rowsReceived per second of durationMs
 */
public record LoadReport(String table, String format, String mode, String method, boolean atomic, boolean dryRun,
        long rowsReceived, long rowsInserted, long rowsUpdated, long rowsSkipped, long rowsRejected,
        List<RowReject> rejects, boolean rejectsTruncated, long batches, long bytesRead, long durationMs,
        long rowsPerSecond) {

    /**
     * A refused row.
     * @param record the 1-based data record
     * @param line the 1-based line it starts on
     * @param column the column at fault, when known
     * @param sqlState the PostgreSQL SQLSTATE
     * @param constraint the violated constraint, when known
     * @param message the reason
     * @param raw the record's original text, truncated
     */
    public record RowReject(long record, Long line, String column, String sqlState, String constraint, String message,
            String raw) {
    }
}
