package dev.bulkload.ingest;

/**
 * A load that stopped: the cause says why (malformed payload, limit, rejected row, database down);
 * the progress fields say what had been committed, which is nothing for an atomic load.
 */
public class LoadFailedException extends RuntimeException {

    private final String table;

    private final long rowsCommitted;

    private final Long committedThroughRecord;

    LoadFailedException(RuntimeException cause, String table, long rowsCommitted, Long committedThroughRecord) {
        super(cause.getMessage(), cause);
        this.table = table;
        this.rowsCommitted = rowsCommitted;
        this.committedThroughRecord = committedThroughRecord;
    }

    public String table() {
        return this.table;
    }

    public long rowsCommitted() {
        return this.rowsCommitted;
    }

    public Long committedThroughRecord() {
        return this.committedThroughRecord;
    }
}
