package dev.bulkload.ingest;

import dev.bulkload.row.WriteCounts;

/**
 * What the committed chunks of a parallel load add up to, at one moment.
 * @param received records received
 * @param counts rows inserted, updated and skipped
 * @param rejected records refused
 * @param batches chunks that held records
 */
record ParallelTotals(long received, WriteCounts counts, long rejected, long batches) {

    static final ParallelTotals NONE = new ParallelTotals(0, WriteCounts.NONE, 0, 0);

    /** These totals and one more chunk's. */
    ParallelTotals plus(long chunkReceived, WriteCounts written, long chunkRejected) {
        return new ParallelTotals(this.received + chunkReceived, this.counts.plus(written),
                this.rejected + chunkRejected, this.batches + ((chunkReceived > 0) ? 1 : 0));
    }
}
