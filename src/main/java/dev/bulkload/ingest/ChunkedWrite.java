package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.bulkload.idempotency.ResumableWrite;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.row.AccountingException;
import dev.bulkload.row.ChunkConflictException;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RetryableChunkException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.session.ChunkBoundary;
import dev.bulkload.session.LoadSession;

/**
 * Moves rows from the reader to the load's writer one chunk at a time, in the transaction the caller
 * opened. A chunk ends after {@code batchSize} rows or once its ledger holds {@code batchBytes}. Each
 * chunk is checked to account for every row it received (inserted + updated + skipped + rejected);
 * its rejects, from the reader and the database, are handed on in record order; a deadlock rolls the
 * chunk back to where it began and writes it again.
 */
final class ChunkedWrite implements ResumableWrite {

    private final LoadContext context;

    private final RowReader reader;

    private final ChunkWriter writer;

    private final LoadSession session;

    private final RejectCollector rejects;

    private final LoadMetrics metrics;

    private final LoadProgress progress;

    private final LoadTracing tracing;

    private final RowChecks checks;

    private final Row row;

    private final ColumnSets sets;

    private final ChunkLedger ledger;

    private final List<Reject> readerRejects = new ArrayList<>();

    /** Memory the chunk's reader rejects hold, counted against the chunk's byte budget. */
    private long readerRejectBytes;

    /** The chunk's budget filled up with reader rejects before the next row was read. */
    private boolean fullOfRejects;

    private boolean pending;

    private boolean exhausted;

    private long rowsReceived;

    private WriteCounts counts = WriteCounts.NONE;

    private long batches;

    private long lastRecordWritten;

    /** The last record of the chunks written so far, written or refused. */
    private long lastRecordReceived;

    /**
     * @param rejects where refused rows go ({@code onError=skip}), or null to fail on the first
     * @param tracing a span for each chunk and each of its database steps
     */
    ChunkedWrite(LoadContext context, RowReader reader, ChunkWriter writer, ColumnSets sets, LoadSession session,
            RejectCollector rejects, LoadMetrics metrics, LoadProgress progress, LoadTracing tracing) {
        this.context = context;
        this.progress = progress;
        this.tracing = tracing;
        this.reader = reader;
        this.writer = tracing.steps(context, writer);
        this.sets = sets;
        this.session = session;
        this.rejects = rejects;
        this.metrics = metrics;
        this.checks = new RowChecks(context, session.serverVersion());
        this.row = new Row(context.table().columns().size(), context.rawLimit());
        this.ledger = new ChunkLedger(context.rawLimit() > 0);
    }

    /** Writes every remaining chunk. */
    void writeAll() {
        while (writeChunk()) {
            // each call writes one chunk
        }
    }

    /**
     * Writes one chunk, in a span of its own that says which records it held and what became of them.
     * @return whether rows remain
     */
    boolean writeChunk() {
        long receivedBefore = this.rowsReceived;
        WriteCounts countsBefore = this.counts;
        OpenSpan span = this.tracing.chunk(this.batches + 1);
        try {
            boolean more = writeOneChunk();
            long received = this.rowsReceived - receivedBefore;
            long inserted = this.counts.inserted() - countsBefore.inserted();
            long updated = this.counts.updated() - countsBefore.updated();
            long skipped = this.counts.skipped() - countsBefore.skipped();
            span.span()
                .tag(LoadSpanTags.ROWS_RECEIVED, received)
                .tag(LoadSpanTags.ROWS_INSERTED, inserted)
                .tag(LoadSpanTags.ROWS_UPDATED, updated)
                .tag(LoadSpanTags.ROWS_SKIPPED, skipped)
                .tag(LoadSpanTags.ROWS_REJECTED, received - inserted - updated - skipped);
            if (received > 0) {
                span.span().tag(LoadSpanTags.FIRST_RECORD, firstRecord())
                    .tag(LoadSpanTags.LAST_RECORD, this.lastRecordReceived);
            }
            return more;
        }
        catch (RuntimeException | Error ex) {
            // what failed is on the step's span, or the load's: here, only that the chunk did not end
            span.span().error(new SpanFailure("The chunk failed"));
            throw ex;
        }
        finally {
            span.close();
        }
    }

    /**
     * Writes one chunk.
     * @return whether rows remain
     */
    private boolean writeOneChunk() {
        this.progress.chunkStarting();
        long started = System.nanoTime();
        this.ledger.clear();
        this.readerRejects.clear();
        this.readerRejectBytes = 0;
        ChunkBoundary boundary = this.session.chunkBoundary();
        this.writer.begin(this.ledger);
        PayloadException refusedRecord = null;
        ChunkResult result;
        try {
            refusedRecord = fill();
            result = finish(boundary);
        }
        catch (RuntimeException | Error ex) {
            this.writer.abort();
            throw ex;
        }
        long received = this.ledger.rows() + this.readerRejects.size();
        WriteCounts written = result.counts();
        long accounted = written.inserted() + written.updated() + written.skipped() + result.rejects().size()
                + this.readerRejects.size();
        if (accounted != received) {
            boundary.rollback();
            this.writer.rolledBack();
            throw new AccountingException(firstRecord(), received, accounted);
        }
        this.rowsReceived += received;
        handOn(result.rejects());
        if (refusedRecord != null) {
            // with onError=abort, the record the reader refused comes after every row written before it
            throw refusedRecord;
        }
        boundary.release();
        this.counts = this.counts.plus(written);
        if (this.ledger.rows() > 0) {
            this.lastRecordWritten = this.ledger.record(this.ledger.rows() - 1);
        }
        if (received > 0) {
            this.lastRecordReceived = Math.max(this.lastRecordWritten,
                    this.readerRejects.isEmpty() ? 0 : this.readerRejects.get(this.readerRejects.size() - 1).record());
            this.batches++;
            this.metrics.batch(this.context.table().qualifiedName(), this.context.request().method().label(),
                    System.nanoTime() - started);
        }
        this.progress.chunkEnded(this.rowsReceived, this.counts, this.batches, !this.exhausted);
        return !this.exhausted;
    }

    /**
     * Reads the chunk's rows into the ledger, letting the writer stream them.
     * @return with onError=abort, a record the reader refused (the chunk ends before it), else null
     */
    private PayloadException fill() {
        while (true) {
            if (!this.pending) {
                try {
                    if (!readNext()) {
                        this.exhausted = !this.fullOfRejects;
                        this.fullOfRejects = false;
                        return null;
                    }
                }
                catch (MalformedRecordException | RecordTooLargeException | RowRejectedException ex) {
                    this.exhausted = true;
                    return ex;
                }
                this.pending = true;
            }
            if (full()) {
                return null;
            }
            this.ledger.add(this.row, this.sets.of(this.row));
            this.pending = false;
            this.progress.rowRead(this.rowsReceived + this.ledger.rows() + this.readerRejects.size(), this.counts,
                    this.batches);
            if (!this.writer.rowAdded(this.ledger)) {
                return null;
            }
        }
    }

    /** Reads the next record that passes the checks; refused ones become rejects when skipping. */
    private boolean readNext() {
        while (true) {
            try {
                if (!this.reader.next(this.row)) {
                    return false;
                }
                this.checks.check(this.row);
                return true;
            }
            catch (MalformedRecordException | RecordTooLargeException | RowRejectedException ex) {
                if (this.rejects == null) {
                    throw ex;
                }
                String sqlState = (ex instanceof RowRejectedException rejected) ? rejected.sqlState() : null;
                Reject reject = new Reject(ex.record(), ex.line(), ex.column(), sqlState, null, ex.getMessage(),
                        this.row.rawText(), this.row.rawAltered());
                this.readerRejects.add(reject);
                this.readerRejectBytes += 2L * (reject.message().length()
                        + ((reject.raw() != null) ? reject.raw().length() : 0)) + 64;
                if (full()) {
                    // a payload of nothing but bad records still ends its chunks, so its rejects are handed on
                    this.fullOfRejects = true;
                    return false;
                }
            }
        }
    }

    /** Whether the chunk holds its rows or bytes, rows and reader rejects together. */
    private boolean full() {
        return this.ledger.rows() + this.readerRejects.size() >= this.context.request().batchSize()
                || this.ledger.bytes() + this.readerRejectBytes >= this.context.batchBytes();
    }

    /** Writes the chunk, again from its start after a deadlock or serialization failure. */
    private ChunkResult finish(ChunkBoundary boundary) {
        Runnable rollback = () -> {
            boundary.rollback();
            this.writer.rolledBack();
        };
        for (int attempt = 1;; attempt++) {
            try {
                return this.writer.finish(this.ledger, rollback);
            }
            catch (RetryableChunkException ex) {
                this.writer.abort();
                rollback.run();
                // a chunk at the top level of the transaction that created the table rolls back with the chunks before it
                if (attempt >= this.context.conflictAttempts() || this.session.earlierChunksLost()) {
                    throw new ChunkConflictException(ex.sqlState(), attempt);
                }
                pause(attempt);
                this.writer.begin(this.ledger);
            }
        }
    }

    /** Hands the chunk's rejects on in record order: the reader's and the database's merged. */
    private void handOn(List<Reject> written) {
        if (this.rejects == null) {
            return;
        }
        int i = 0;
        int j = 0;
        while (i < this.readerRejects.size() || j < written.size()) {
            boolean fromReader = j >= written.size()
                    || (i < this.readerRejects.size() && this.readerRejects.get(i).record() < written.get(j).record());
            this.rejects.reject(fromReader ? this.readerRejects.get(i++) : written.get(j++));
        }
    }

    private long firstRecord() {
        long first = (this.ledger.rows() > 0) ? this.ledger.record(0) : Long.MAX_VALUE;
        return this.readerRejects.isEmpty() ? first : Math.min(first, this.readerRejects.get(0).record());
    }

    /** Waits before another attempt, longer each time and at random, so conflicting loads fall out of step. */
    private static void pause(int attempt) {
        long bound = 20L << Math.min(attempt, 6);
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(bound / 2, bound));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ChunkConflictException("40P01", attempt);
        }
    }

    @Override
    public long rowsReceived() {
        return this.rowsReceived;
    }

    @Override
    public WriteCounts counts() {
        return this.counts;
    }

    long batches() {
        return this.batches;
    }

    /**
     * Goes on from an earlier attempt's committed chunks (an Idempotency-Key's resume): the counts start from
     * theirs; the reader hands on only the records after them.
     */
    @Override
    public void resumeAfter(long rowsReceived, WriteCounts counts, long batches, long lastRecord) {
        this.rowsReceived = rowsReceived;
        this.counts = counts;
        this.batches = batches;
        this.lastRecordWritten = lastRecord;
        this.lastRecordReceived = lastRecord;
    }

    /** The last record of the chunks written so far, a row written or a record refused; 0 before any. */
    @Override
    public long lastRecordReceived() {
        return this.lastRecordReceived;
    }

    /** The record number of the last row written, 0 before any. */
    long lastRecordWritten() {
        return this.lastRecordWritten;
    }
}
