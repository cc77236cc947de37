package dev.bulkload.ingest;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.RetryableChunkException;
import dev.bulkload.row.RowRejectedException;

/**
 * The load's writer with a span for each attempt at writing a chunk, a child of the chunk's span: the COPY from
 * its first row to its end (it streams while the chunk is read), or the batch, or the staged merge, from the end
 * of the chunk's reading to its result. When the database refuses a row, the writer rolls the chunk back and
 * looks for the rows at fault: from that rollback on, the time is the {@code bulkload.isolate} span's.
 */
final class TracedChunkWriter implements ChunkWriter {

    private final ChunkWriter writer;

    private final Tracer tracer;

    private final String step;

    private final boolean streams;

    /** The span of the step under way, null between attempts. */
    private Span open;

    /**
     * @param step the write's span name
     * @param streams whether the writer sends rows while the chunk is read (its span starts with the chunk)
     */
    TracedChunkWriter(ChunkWriter writer, Tracer tracer, String step, boolean streams) {
        this.writer = writer;
        this.tracer = tracer;
        this.step = step;
        this.streams = streams;
    }

    @Override
    public void begin(ChunkLedger ledger) {
        if (this.streams) {
            this.open = this.tracer.nextSpan().name(this.step).start();
        }
        this.writer.begin(ledger);
    }

    @Override
    public boolean rowAdded(ChunkLedger ledger) {
        return this.writer.rowAdded(ledger);
    }

    @Override
    public ChunkResult finish(ChunkLedger ledger, Runnable rollback) {
        if (this.open == null) {
            this.open = this.tracer.nextSpan().name(this.step).start();
        }
        this.open.tag(LoadSpanTags.ROWS, ledger.rows());
        try {
            ChunkResult result = this.writer.finish(ledger, () -> {
                rollback.run();
                isolating();
            });
            this.open.tag(LoadSpanTags.ROWS_INSERTED, result.counts().inserted())
                .tag(LoadSpanTags.ROWS_UPDATED, result.counts().updated())
                .tag(LoadSpanTags.ROWS_SKIPPED, result.counts().skipped())
                .tag(LoadSpanTags.ROWS_REJECTED, result.rejects().size());
            return result;
        }
        catch (RuntimeException | Error ex) {
            failed(ex);
            throw ex;
        }
        finally {
            end();
        }
    }

    @Override
    public void abort() {
        if (this.open != null) {
            // the chunk failed while it was read (a malformed record, a cancel): its COPY is cancelled
            this.open.event("aborted");
            end();
        }
        this.writer.abort();
    }

    @Override
    public void rolledBack() {
        this.writer.rolledBack();
    }

    /** The write was refused for a row's fault and rolled back: the rows at fault are looked for now. */
    private void isolating() {
        if (this.open != null) {
            this.open.tag(LoadSpanTags.STATUS, "refused");
            end();
        }
        this.open = this.tracer.nextSpan().name("bulkload.isolate").start();
    }

    /** Records how the step failed: by SQLSTATE and record, never by the server's message (it quotes values). */
    private void failed(Throwable failure) {
        Span span = this.open;
        if (failure instanceof RetryableChunkException conflict) {
            span.tag(LoadSpanTags.SQL_STATE, conflict.sqlState()).error(new SpanFailure(
                    "Conflict with a concurrent transaction (SQLSTATE " + conflict.sqlState() + "); written again"));
        }
        else if (failure instanceof PayloadException refused) {
            if (refused.record() != null) {
                span.tag(LoadSpanTags.RECORD, refused.record());
            }
            String sqlState = (refused instanceof RowRejectedException rejected) ? rejected.sqlState() : null;
            if (sqlState != null) {
                span.tag(LoadSpanTags.SQL_STATE, sqlState);
            }
            span.error(new SpanFailure("Row refused" + ((sqlState != null) ? " (SQLSTATE " + sqlState + ")" : "")
                    + ((refused.record() != null) ? " at record " + refused.record() : "")));
        }
        else {
            span.error(new SpanFailure("The write failed: " + failure.getClass().getSimpleName()));
        }
    }

    private void end() {
        Span span = this.open;
        this.open = null;
        span.end();
    }
}
