package dev.bulkload.ingest;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * A started span that is current on this thread (its trace id in the log lines written meanwhile) until it is
 * closed, which ends it. Spans of one thread are closed in the reverse order of their opening.
 */
final class OpenSpan implements AutoCloseable {

    private final Span span;

    private final Tracer.SpanInScope scope;

    private OpenSpan(Span span, Tracer.SpanInScope scope) {
        this.span = span;
        this.scope = scope;
    }

    static OpenSpan inScope(Tracer tracer, Span span) {
        return new OpenSpan(span, tracer.withSpan(span));
    }

    Span span() {
        return this.span;
    }

    @Override
    public void close() {
        this.scope.close();
        this.span.end();
    }
}
