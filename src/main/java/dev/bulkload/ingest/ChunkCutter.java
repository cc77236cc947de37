package dev.bulkload.ingest;

import dev.bulkload.body.CountingInputStream;
import dev.bulkload.idempotency.IdempotentLoad;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Reject;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;

/**
 * The reading side of a parallel load, on the request's thread: reads the body once, in order, and cuts it into
 * chunks by the same rules as a load on one connection ({@code batchSize} rows, {@code batch-bytes}, reader rejects
 * counted in both), checking each row as it goes. With an Idempotency-Key a chunk also ends before the next chunk
 * an earlier attempt committed, and carries the hash of its records.
 */
final class ChunkCutter {

    private final LoadContext context;

    private final RowReader reader;

    private final RowChecks checks;

    private final Row row;

    private final ColumnSets sets;

    private final boolean skipBadRows;

    private final LoadProgress progress;

    private final IdempotentLoad keyed;

    private final CountingInputStream body;

    /** A row read that did not fit its chunk: the next chunk's first. */
    private boolean pending;

    private boolean exhausted;

    /** The chunk ended on reader rejects (full, or at an earlier attempt's chunk) before the next row was read. */
    private boolean endedOnRejects;

    /** Records read so far, for progress. */
    private long recordsRead;

    ChunkCutter(LoadContext context, RowReader reader, RowChecks checks, ColumnSets sets, LoadProgress progress,
            IdempotentLoad keyed, CountingInputStream body) {
        this.context = context;
        this.reader = reader;
        this.checks = checks;
        this.sets = sets;
        this.skipBadRows = context.request().skipBadRows();
        this.progress = progress;
        this.keyed = keyed;
        this.body = body;
        this.row = new Row(context.table().columns().size(), context.rawLimit());
    }

    /** Whether the body has no records left. */
    boolean exhausted() {
        return this.exhausted;
    }

    /**
     * Fills the chunk with the next records.
     * @param receivedBefore records an earlier attempt this one resumes committed (0 for a new load)
     * @param progressCounts the load's committed counts so far, for the published progress
     * @return with onError=abort, a record the reader refused (the load fails there), else null
     */
    PayloadException fill(ParallelChunk chunk, long receivedBefore, ParallelTotals progressCounts) {
        while (true) {
            if (!this.pending) {
                if (atEarlierChunk(chunk)) {
                    return null;
                }
                try {
                    if (!readNext(chunk)) {
                        this.exhausted = !this.endedOnRejects;
                        this.endedOnRejects = false;
                        return null;
                    }
                }
                catch (MalformedRecordException | RecordTooLargeException | RowRejectedException ex) {
                    this.exhausted = true;
                    return ex;
                }
                this.pending = true;
            }
            if (full(chunk)) {
                return null;
            }
            chunk.ledger().add(this.row, this.sets.of(this.row));
            this.pending = false;
            this.recordsRead++;
            this.progress.rowRead(receivedBefore + this.recordsRead, progressCounts.counts(),
                    progressCounts.batches());
        }
    }

    /** Records read (rows and refused ones) by this attempt so far. */
    long recordsRead() {
        return this.recordsRead;
    }

    /** Ends the chunk: the body's position and the hash of its records. */
    void cut(ParallelChunk chunk) {
        chunk.cut(this.body.count(), this.keyed.cutChunk(chunk.lastRecord()));
    }

    private boolean readNext(ParallelChunk chunk) {
        while (true) {
            try {
                if (!this.reader.next(this.row)) {
                    return false;
                }
                this.checks.check(this.row);
                return true;
            }
            catch (MalformedRecordException | RecordTooLargeException | RowRejectedException ex) {
                if (!this.skipBadRows) {
                    throw ex;
                }
                String sqlState = (ex instanceof RowRejectedException rejected) ? rejected.sqlState() : null;
                chunk.readerReject(new Reject(ex.record(), ex.line(), ex.column(), sqlState, null, ex.getMessage(),
                        this.row.rawText(), this.row.rawAltered()));
                this.recordsRead++;
                if (full(chunk) || atEarlierChunk(chunk)) {
                    this.endedOnRejects = true;
                    return false;
                }
            }
        }
    }

    /** Whether the record after the chunk's last is the first of a chunk an earlier attempt committed. */
    private boolean atEarlierChunk(ParallelChunk chunk) {
        return chunk.received() > 0 && chunk.lastRecord() + 1 >= this.keyed.nextCommittedRecord();
    }

    private boolean full(ParallelChunk chunk) {
        return chunk.received() >= this.context.request().batchSize() || chunk.bytes() >= this.context.batchBytes();
    }
}
