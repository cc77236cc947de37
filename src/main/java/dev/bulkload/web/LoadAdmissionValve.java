package dev.bulkload.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The gate in front of the load slots, the first thing a request meets after Tomcat has read its headers:
 * at most {@code limit} loads are in flight at once (running, or waiting for a slot), and one more is
 * answered 503 service-busy here, before any filter, authentication, parser or buffer for its body, with
 * Retry-After and {@code Connection: close}, and without parsing its body. Other requests (health, table
 * listings, metrics) pass untouched, so they stay answerable during a burst of loads.
 */
final class LoadAdmissionValve extends ValveBase {

    private static final String LOADS = "/api/v1/tables/";

    private static final String ROWS = "/rows";

    /**
     * A declared body up to this size is read and dropped after the refusal (it has mostly arrived with the
     * headers): closing a connection with unread bytes makes the kernel reset it, and the client may lose the
     * answer. A larger or chunked body is not read at all.
     */
    private static final long SMALL_BODY = 64 * 1024;

    private final int limit;

    private final byte[] refusal;

    private final String retryAfter;

    private final AtomicInteger inFlight = new AtomicInteger();

    private final Runnable refused;

    /**
     * @param limit loads admitted at once
     * @param retryAfterSeconds the Retry-After of a refusal
     * @param refused told of each refusal (a metric)
     */
    LoadAdmissionValve(int limit, long retryAfterSeconds, Runnable refused) {
        super(true);
        this.limit = limit;
        this.retryAfter = Long.toString(retryAfterSeconds);
        this.refused = refused;
        ProblemDetail problem = ProblemType.SERVICE_BUSY.problem("The service already holds its maximum of " + limit
                + " loads running or waiting for a slot; retry after the Retry-After header");
        // one answer for every refusal, built once: a refusal allocates nothing of its own
        this.refusal = ProblemReportValve.json(problem).getBytes(StandardCharsets.UTF_8);
    }

    /** Loads admitted now: running, or waiting for a slot. */
    int inFlight() {
        return this.inFlight.get();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!isLoad(request)) {
            getNext().invoke(request, response);
            return;
        }
        if (this.inFlight.incrementAndGet() > this.limit) {
            this.inFlight.decrementAndGet();
            refuse(request, response);
            return;
        }
        try {
            getNext().invoke(request, response);
        }
        finally {
            this.inFlight.decrementAndGet();
        }
    }

    private static boolean isLoad(Request request) {
        if (!"POST".equals(request.getMethod())) {
            return false;
        }
        String uri = request.getDecodedRequestURI();
        int context = request.getContextPath().length();
        return uri != null && uri.startsWith(LOADS, context) && uri.endsWith(ROWS)
                && uri.length() > context + LOADS.length() + ROWS.length();
    }

    private void refuse(Request request, Response response) throws IOException {
        this.refused.run();
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared > SMALL_BODY) {
            // close once the answer is out instead of waiting for a body nobody will read
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
        response.setStatus(503);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.RETRY_AFTER, this.retryAfter);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentLength(this.refusal.length);
        try {
            response.getOutputStream().write(this.refusal);
            response.finishResponse();
        }
        catch (IOException ex) {
            // the client is gone already: nobody is left to tell
        }
    }
}
