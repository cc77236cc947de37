package dev.bulkload.row;

/**
 * Writes a load's chunks into the table, inside the transaction the caller opened: one writer per
 * load, chosen once (direct COPY, direct batch, or staged). A chunk's rows are in a
 * {@link ChunkLedger}, so a writer can send a range again to find the rows at fault.
 */
public interface ChunkWriter {

    /**
     * A chunk starts, or starts again after its work was rolled back: nothing of it has been sent. Writers
     * that only write in {@link #finish} keep this and the other hooks as the default no-ops.
     */
    default void begin(ChunkLedger ledger) {
    }

    /**
     * The ledger has a new last row; a streaming writer may send it now.
     * @return false when the chunk already failed and reading more of it is pointless
     */
    default boolean rowAdded(ChunkLedger ledger) {
        return true;
    }

    /**
     * Writes the rest of the chunk.
     * @param rollback rolls the chunk's work back to where it began (before the rows at fault are looked for)
     * @return what the database did; the rejects only with {@code onError=skip}
     * @throws RowRejectedException with {@code onError=abort}: the first row the database refused
     * @throws RetryableChunkException on a deadlock or serialization failure: roll back the chunk and begin again
     */
    ChunkResult finish(ChunkLedger ledger, Runnable rollback);

    /** Cancels whatever statement is open after a failure (a COPY is cancelled, never just closed); runs no SQL. */
    default void abort() {
    }

    /** The chunk's work was rolled back; what it created in the database (staging tables) is gone. */
    default void rolledBack() {
    }
}
