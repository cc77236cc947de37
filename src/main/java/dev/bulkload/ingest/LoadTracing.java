package dev.bulkload.ingest;

import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.stereotype.Component;

import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.WriteMode;

/**
 * Opens the spans of a load, below the request's HTTP server span: {@code bulkload.load} for the whole load,
 * {@code bulkload.chunk} for each chunk, one span per database step of a chunk ({@code bulkload.copy},
 * {@code bulkload.batch} or {@code bulkload.merge}, then {@code bulkload.isolate} when the database refused a row
 * and the rows at fault are looked for) and {@code bulkload.commit} for each COMMIT. The load's id is an attribute
 * of its span only, never a metric tag.
 */
@Component
class LoadTracing {

    private final Tracer tracer;

    LoadTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Starts the load's span, current on this thread until {@link LoadTrace#close}: what the load logs, measures and
     * records is of its trace.
     * @param observer told of the load as before; the trace hears its commits on the way
     */
    LoadTrace load(LoadRequest request, LoadObserver observer) {
        Span span = this.tracer.nextSpan()
            .name("bulkload.load")
            .tag(LoadSpanTags.TABLE, request.table())
            .tag(LoadSpanTags.FORMAT, request.format().label())
            .tag(LoadSpanTags.MODE, request.mode().label())
            .tag(LoadSpanTags.METHOD, request.method().label())
            .tag(LoadSpanTags.ATOMIC, request.atomic())
            .tag(LoadSpanTags.DRY_RUN, request.dryRun())
            .tag(LoadSpanTags.ON_ERROR, request.skipBadRows() ? "skip" : "abort")
            .start();
        return new LoadTrace(this.tracer, OpenSpan.inScope(this.tracer, span), observer);
    }

    /**
     * The task run on another thread (a parallel load's writer) with the span current here as its parent, so its
     * chunk spans belong to the load's trace.
     */
    Runnable inCurrentSpan(Runnable task) {
        Span parent = this.tracer.currentSpan();
        if (parent == null) {
            return task;
        }
        return () -> {
            try (Tracer.SpanInScope scope = this.tracer.withSpan(parent)) {
                task.run();
            }
        };
    }

    /** Starts the span of one chunk of the load, current until it is closed. */
    OpenSpan chunk(long number) {
        Span span = this.tracer.nextSpan().name("bulkload.chunk").tag(LoadSpanTags.CHUNK, number).start();
        return OpenSpan.inScope(this.tracer, span);
    }

    /**
     * The load's writer, with a span for each of its database steps. Named as {@code LoadService} chooses the
     * writer: plain inserts that fail on the first bad row go straight to the table (a COPY streams while the
     * chunk is read, a batch is sent at its end); everything else is staged, checked and merged.
     */
    ChunkWriter steps(LoadContext context, ChunkWriter writer) {
        LoadRequest request = context.request();
        boolean direct = request.mode() == WriteMode.INSERT && !request.skipBadRows();
        boolean copy = request.method() == LoadMethod.COPY;
        String step = !direct ? "bulkload.merge" : (copy ? "bulkload.copy" : "bulkload.batch");
        return new TracedChunkWriter(writer, this.tracer, step, direct && copy);
    }
}
