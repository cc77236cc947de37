package dev.bulkload.web;

import java.io.IOException;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Puts a request's span back in scope while the container renders its error page (an ERROR dispatch, after a
 * {@code sendError} from the security entry points or an exception from a filter). Spring's observation filter
 * does not see that dispatch: its span ended with the first one. So the problem's {@code traceId} and the error's
 * log line name the request's trace.
 */
final class ErrorDispatchTracing extends HttpFilter {

    private final Tracer tracer;

    ErrorDispatchTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Span span = RequestTrace.span(request);
        if (span == null || this.tracer.currentSpan() != null) {
            chain.doFilter(request, response);
            return;
        }
        try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
            chain.doFilter(request, response);
        }
    }
}
