package dev.bulkload.ingest;

import dev.bulkload.csv.CsvFormat;

/**
 * One load, as the controller understood the HTTP request.
 * @param table the {@code {table}} path segment
 * @param format the payload format
 * @param gzip whether the payload is gzip-compressed
 * @param mode how rows are written
 * @param method COPY or JDBC batch
 * @param atomic one transaction for the whole load, or a commit per chunk
 * @param batchSize most rows per chunk
 * @param dryRun roll everything back at the end
 * @param csv CSV options (ignored for JSON)
 */
public record LoadRequest(String table, LoadFormat format, boolean gzip, LoadMode mode, LoadMethod method,
        boolean atomic, int batchSize, boolean dryRun, CsvFormat csv) {
}
