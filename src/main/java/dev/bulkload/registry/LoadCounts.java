package dev.bulkload.registry;

/**
 * A load's counts at one moment.
 * @param rowsReceived data records read so far
 * @param rowsInserted rows inserted (so far, or in committed chunks)
 * @param rowsUpdated rows updated
 * @param rowsSkipped rows skipped
 * @param rowsRejected rows refused
 * @param batches chunks written
 * @param bytesRead request body bytes read
 */
public record LoadCounts(long rowsReceived, long rowsInserted, long rowsUpdated, long rowsSkipped, long rowsRejected,
        long batches, long bytesRead) {

    /** Nothing yet. */
    public static final LoadCounts NONE = new LoadCounts(0, 0, 0, 0, 0, 0, 0);

    /** Rows that stay in the table once committed: inserted plus updated. */
    public long rowsCommitted() {
        return this.rowsInserted + this.rowsUpdated;
    }
}
