package dev.bulkload.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The span of a request's HTTP server observation, which Spring keeps on the request: still there after the
 * observation ended, when the container renders an error page or a valve answers.
 */
public final class RequestTrace {

    private RequestTrace() {
    }

    /** The request's span, or null when none was started for it (refused before any filter ran, tracing off). */
    public static Span span(HttpServletRequest request) {
        TracingObservationHandler.TracingContext tracing = ServerHttpObservationFilter
            .findObservationContext(request)
            .map((context) -> context.<TracingObservationHandler.TracingContext>get(
                    TracingObservationHandler.TracingContext.class))
            .orElse(null);
        return (tracing != null) ? tracing.getSpan() : null;
    }
}
