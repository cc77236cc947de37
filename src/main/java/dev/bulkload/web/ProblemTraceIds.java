package dev.bulkload.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import dev.bulkload.tracing.TraceIds;

/**
 * Gives every problem the service answers through Spring MVC (its handlers' and the {@code /error} page's) the
 * {@code traceId} of the request's trace, so that a client's 4xx or 5xx leads to the request's spans and log lines.
 * A problem that has one already keeps it (a failed load's, as its registry row recorded it); with no trace (tracing
 * off) there is none.
 */
@RestControllerAdvice
public class ProblemTraceIds implements ResponseBodyAdvice<Object> {

    public static final String PROPERTY = "traceId";

    private final TraceIds traces;

    ProblemTraceIds(TraceIds traces) {
        this.traces = traces;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey(PROPERTY))) {
            String traceId = this.traces.current();
            if (traceId != null) {
                problem.setProperty(PROPERTY, traceId);
            }
        }
        return body;
    }
}
