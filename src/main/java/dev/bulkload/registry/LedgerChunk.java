package dev.bulkload.registry;

/**
 * One committed chunk of a non-atomic load, as its row in {@code bulkload.load_chunks} records it: written in the
 * chunk's own transaction, so it exists exactly when the chunk's rows do.
 * @param chunk 1-based number among the load's ledger rows
 * @param firstRecord the chunk's first data record
 * @param lastRecord its last data record
 * @param byteFrom bytes of the body (as received) read when the chunk began, read-ahead included
 * @param byteTo bytes of the body read when it ended
 * @param sha256 SHA-256 of the chunk's records as the reader decoded them (see {@code RecordDigest})
 * @param rowsReceived records in the chunk
 * @param rowsInserted rows it inserted
 * @param rowsUpdated rows it updated
 * @param rowsSkipped rows it skipped
 * @param rowsRejected rows it refused
 */
public record LedgerChunk(int chunk, long firstRecord, long lastRecord, long byteFrom, long byteTo, byte[] sha256,
        long rowsReceived, long rowsInserted, long rowsUpdated, long rowsSkipped, long rowsRejected) {
}
