package dev.bulkload.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.stereotype.Component;

/**
 * The id of the trace the current thread works in: what a problem's {@code traceId}, a log line and a load's
 * registry row name, so that each leads to the same trace. Every request has one (Spring's HTTP server span),
 * sampled or not; there is none outside a request, or with tracing turned off
 * ({@code management.tracing.export.enabled=false}).
 */
@Component
public class TraceIds {

    private final Tracer tracer;

    public TraceIds(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The current trace's id (32 hex digits), or null when the thread works in none. */
    public String current() {
        return of(this.tracer.currentSpan());
    }

    /** The trace id of {@code span}, or null for none (or a no-op span, whose id is empty). */
    public static String of(Span span) {
        if (span == null) {
            return null;
        }
        String id = span.context().traceId();
        return (id == null || id.isEmpty()) ? null : id;
    }
}
