package dev.bulkload.web.tomcat;

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

import dev.bulkload.web.ProblemType;

/**
 * The admission gate, the first thing a request meets after Tomcat has read its headers. At most
 * {@code maxLoads} loads are in flight at once (running, or waiting for a slot), at most {@code maxDownloads}
 * rejects downloads (kept apart, so slow readers cannot crowd out the registry's other answers) and at most
 * {@code maxOthers} other requests (table listings, API docs, metrics); one more is answered 503 here, before any filter,
 * authentication, parser or buffer for its body, with Retry-After and {@code Connection: close}, and without
 * parsing its body. Health probes are never refused, so they stay answerable during a burst. A refusal names no
 * {@code traceId}: no span exists yet here (Spring's observation filter comes later), and none is made for it.
 */
final class AdmissionValve extends ValveBase {

    private static final String LOADS = "/api/v1/tables/";

    private static final String ROWS = "/rows";

    private static final String LOAD_REGISTRY = "/api/v1/loads/";

    private static final String REJECTS = "/rejects";

    /**
     * A declared body up to this size is read and dropped after the refusal (it has mostly arrived with the
     * headers): closing a connection with unread bytes makes the kernel reset it, and the client may lose the
     * answer. A larger or chunked body is not read at all.
     */
    private static final long SMALL_BODY = 64 * 1024;

    private final Gate loads;

    private final Gate others;

    private final Gate downloads;

    private final String retryAfter;

    private final Runnable refused;

    /**
     * @param maxLoads loads admitted at once
     * @param maxOthers other requests (not loads, not health probes) admitted at once
     * @param maxDownloads rejects downloads admitted at once
     * @param retryAfterSeconds the Retry-After of a refusal
     * @param refused told of each refusal (a metric)
     */
    AdmissionValve(int maxLoads, int maxOthers, int maxDownloads, long retryAfterSeconds, Runnable refused) {
        super(true);
        this.loads = new Gate(maxLoads, ProblemType.SERVICE_BUSY.problem("The service already holds its maximum of "
                + maxLoads + " loads running or waiting for a slot; retry after the Retry-After header"));
        this.others = new Gate(maxOthers, ProblemType.SERVER_BUSY.problem("The service is already serving its maximum"
                + " of " + maxOthers + " requests; retry after the Retry-After header"));
        this.downloads = new Gate(maxDownloads, ProblemType.SERVER_BUSY.problem("The service is already serving its "
                + "maximum of " + maxDownloads + " rejects downloads; retry after the Retry-After header"));
        this.retryAfter = Long.toString(retryAfterSeconds);
        this.refused = refused;
    }

    /** Loads admitted now: running, or waiting for a slot. */
    int loadsInFlight() {
        return this.loads.inFlight.get();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        Gate gate = gateFor(request);
        if (gate == null) {
            getNext().invoke(request, response);
            return;
        }
        if (gate.inFlight.incrementAndGet() > gate.limit) {
            gate.inFlight.decrementAndGet();
            refuse(gate, request, response);
            return;
        }
        try {
            getNext().invoke(request, response);
        }
        finally {
            gate.inFlight.decrementAndGet();
        }
    }

    /** The gate a request passes, or null for a health probe. */
    private Gate gateFor(Request request) {
        String uri = request.getDecodedRequestURI();
        if (uri == null) {
            return this.others;
        }
        String path = uri.substring(Math.min(uri.length(), request.getContextPath().length()));
        if ("POST".equals(request.getMethod()) && path.startsWith(LOADS) && path.endsWith(ROWS)
                && path.length() > LOADS.length() + ROWS.length()) {
            return this.loads;
        }
        if ("GET".equals(request.getMethod()) && path.startsWith(LOAD_REGISTRY) && path.endsWith(REJECTS)
                && path.length() > LOAD_REGISTRY.length() + REJECTS.length()) {
            return this.downloads;
        }
        if (path.equals("/livez") || path.equals("/readyz") || path.equals("/actuator/health")
                || path.startsWith("/actuator/health/")) {
            return null;
        }
        return this.others;
    }

    private void refuse(Gate gate, Request request, Response response) throws IOException {
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
        response.setContentLength(gate.refusal.length);
        try {
            response.getOutputStream().write(gate.refusal);
            response.finishResponse();
        }
        catch (IOException ex) {
            // the client is gone already: nobody is left to tell
        }
    }

    /** One bound: its limit, the requests in flight, and the answer of a refusal, built once. */
    private static final class Gate {

        private final int limit;

        private final AtomicInteger inFlight = new AtomicInteger();

        private final byte[] refusal;

        Gate(int limit, ProblemDetail refusal) {
            this.limit = limit;
            this.refusal = ProblemReportValve.json(refusal).getBytes(StandardCharsets.UTF_8);
        }
    }
}
