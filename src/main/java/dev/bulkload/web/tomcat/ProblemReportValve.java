package dev.bulkload.web.tomcat;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.ProblemDetail;

import dev.bulkload.tracing.TraceIds;
import dev.bulkload.web.ErrorProblemController;
import dev.bulkload.web.ProblemTraceIds;
import dev.bulkload.web.RequestTrace;

/**
 * Tomcat's last-resort error page as an RFC 9457 problem instead of an HTML page: it answers what
 * Tomcat refuses before any servlet runs (an invalid URI, a malformed Content-Length) and so never
 * reaches {@code /error}.
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // the same guards as Tomcat's own report: only errors, only once, only when nothing was written
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemDetail problem = ErrorProblemController.problem(status);
        // a request refused before any filter ran (an invalid URI) has no trace: then none is named
        String traceId = TraceIds.of(RequestTrace.span(request.getRequest()));
        if (traceId != null) {
            problem.setProperty(ProblemTraceIds.PROPERTY, traceId);
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json(problem));
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // the client is gone or the response was taken meanwhile: there is nobody left to tell
        }
    }

    /** Hand-written because this runs outside Spring, on texts and numbers of our own (and a trace id). */
    static String json(ProblemDetail problem) {
        Object traceId = (problem.getProperties() != null) ? problem.getProperties().get(ProblemTraceIds.PROPERTY)
                : null;
        return "{\"type\":" + quote(String.valueOf(problem.getType())) + ",\"title\":" + quote(problem.getTitle())
                + ",\"status\":" + problem.getStatus() + ",\"detail\":" + quote(problem.getDetail())
                + ((traceId != null) ? ",\"traceId\":" + quote(traceId.toString()) : "") + "}";
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            }
            else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
