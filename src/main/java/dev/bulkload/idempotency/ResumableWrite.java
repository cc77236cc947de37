package dev.bulkload.idempotency;

import dev.bulkload.row.WriteCounts;

/** A load's chunked write as a keyed load sees it: what each chunk's ledger row counts, and where a resume starts. */
public interface ResumableWrite {

    /** Data records read so far. */
    long rowsReceived();

    /** The last record read so far. */
    long lastRecordReceived();

    /** What the writes did so far. */
    WriteCounts counts();

    /** Goes on from an earlier attempt's committed chunks: the counts start from theirs. */
    void resumeAfter(long rowsReceived, WriteCounts counts, long batches, long lastRecord);
}
