package dev.bulkload.ingest;

import java.util.Map;
import java.util.UUID;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.http.ProblemDetail;

import dev.bulkload.idempotency.IdempotentReplayException;

/**
 * One load's span, current on the load's thread while it runs, and the observer that hears the load on the way to
 * the one it was given: its id becomes an attribute, each COMMIT a {@code bulkload.commit} span, and its end the
 * counts (or the problem) on the load's span. Every call is passed on to the given observer unchanged.
 */
final class LoadTrace implements LoadObserver, AutoCloseable {

    private final Tracer tracer;

    private final OpenSpan load;

    private final LoadObserver observer;

    /** The COMMIT in flight, between {@link #committing} and {@link #commitEnded}. */
    private OpenSpan commit;

    LoadTrace(Tracer tracer, OpenSpan load, LoadObserver observer) {
        this.tracer = tracer;
        this.load = load;
        this.observer = observer;
    }

    @Override
    public void registered(UUID id) {
        // again with the earlier attempt's id when a retry resumes it: the span names the load it continues
        this.load.span().tag(LoadSpanTags.LOAD_ID, id.toString());
        this.observer.registered(id);
    }

    @Override
    public void cancellable(Runnable cancel) {
        this.observer.cancellable(cancel);
    }

    @Override
    public void committing() {
        this.observer.committing();
        this.commit = OpenSpan.inScope(this.tracer, this.tracer.nextSpan().name("bulkload.commit").start());
    }

    @Override
    public boolean stopped() {
        return this.observer.stopped();
    }

    @Override
    public void commitEnded(boolean committed, long rows, Long throughRecord, boolean last) {
        OpenSpan commit = this.commit;
        if (commit != null) {
            this.commit = null;
            commit.span().tag(LoadSpanTags.COMMITTED, committed).tag(LoadSpanTags.ROWS_COMMITTED, rows)
                .tag(LoadSpanTags.LAST, last);
            if (throughRecord != null) {
                commit.span().tag(LoadSpanTags.LAST_RECORD, throughRecord);
            }
            if (!committed) {
                commit.span().error(new SpanFailure("The COMMIT did not commit"));
            }
            commit.close();
        }
        this.observer.commitEnded(committed, rows, throughRecord, last);
    }

    /** The load succeeded: its report's counts go on its span. */
    LoadReport succeeded(LoadReport report) {
        this.load.span()
            .tag(LoadSpanTags.STATUS, "succeeded")
            .tag(LoadSpanTags.TABLE, report.tableName())
            .tag(LoadSpanTags.METHOD, report.method())
            .tag(LoadSpanTags.ROWS_RECEIVED, report.rowsReceived())
            .tag(LoadSpanTags.ROWS_INSERTED, report.rowsInserted())
            .tag(LoadSpanTags.ROWS_UPDATED, report.rowsUpdated())
            .tag(LoadSpanTags.ROWS_SKIPPED, report.rowsSkipped())
            .tag(LoadSpanTags.ROWS_REJECTED, report.rowsRejected())
            .tag(LoadSpanTags.BATCHES, report.batches())
            .tag(LoadSpanTags.BYTES, report.bytesRead());
        return report;
    }

    /**
     * The load failed, or never began (an unknown table, no slot, a retry answered from before): its span says how,
     * by the problem the client is answered with when there is one.
     */
    void failed(Throwable failure) {
        Span span = this.load.span();
        if (failure instanceof LoadFailedException failed) {
            span.tag(LoadSpanTags.STATUS, (failed.getCause() instanceof LoadCancelledException) ? "cancelled" : "failed")
                .tag(LoadSpanTags.TABLE, failed.table())
                .tag(LoadSpanTags.ROWS_COMMITTED, failed.rowsCommitted());
            ProblemDetail problem = failed.problem();
            if (problem != null) {
                span.tag(LoadSpanTags.PROBLEM_TYPE, String.valueOf(problem.getType()));
                tagPlace(span, problem.getProperties());
            }
            // a problem's title, not the cause's message, which may quote a row's values from the server
            span.error(new SpanFailure((problem != null) ? problem.getTitle() : "The load failed"));
        }
        else if (failure instanceof IdempotentReplayException) {
            span.tag(LoadSpanTags.STATUS, "replayed");
        }
        else if (failure instanceof RuntimeException && failure.getClass().getPackageName().startsWith("dev.bulkload")) {
            // refused before it began, in the service's own words (no table, no grant, no slot, a key in use)
            span.tag(LoadSpanTags.STATUS, "refused").error(new SpanFailure(failure.getMessage()));
        }
        else {
            span.tag(LoadSpanTags.STATUS, "failed").error(failure);
        }
    }

    private static void tagPlace(Span span, Map<String, Object> properties) {
        if (properties == null) {
            return;
        }
        if (properties.get("record") instanceof Number record) {
            span.tag(LoadSpanTags.RECORD, record.longValue());
        }
        if (properties.get("line") instanceof Number line) {
            span.tag(LoadSpanTags.LINE, line.longValue());
        }
        if (properties.get("column") instanceof String column) {
            span.tag(LoadSpanTags.COLUMN, column);
        }
        if (properties.get("sqlState") instanceof String sqlState) {
            span.tag(LoadSpanTags.SQL_STATE, sqlState);
        }
    }

    /** Ends the load's span (and a COMMIT's left open by a failure between its two calls). */
    @Override
    public void close() {
        if (this.commit != null) {
            this.commit.close();
            this.commit = null;
        }
        this.load.close();
    }
}
