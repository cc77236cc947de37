package dev.bulkload.web;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import dev.bulkload.ingest.LoadProperties;
import dev.bulkload.ingest.RunningLoads;

/**
 * Answers the loads still running when the graceful shutdown phase ends, with the truth: each load is first
 * stopped at its commit gate (it never commits after that; a COMMIT in flight is waited for), its statement
 * cancelled in the database, and only then answered 503 shutting-down with what it committed
 * ({@code rowsCommitted}, {@code committedThroughRecord}), or 503 outcome-unknown when its COMMIT never
 * answered. A load whose last transaction had committed answers for itself. All of it is written before the
 * web server stops and closes their connections. Its phase lies between the graceful shutdown and the web
 * server's stop.
 */
@Component
class ShutdownAnswers implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ShutdownAnswers.class);

    private final RunningLoads loads;

    private final LoadProperties properties;

    /** How long loads whose last transaction committed get to answer for themselves. */
    private static final Duration FINISHING_WAIT = Duration.ofSeconds(5);

    private final JsonMapper json = JsonMapper.builder().build();

    private volatile boolean running;

    ShutdownAnswers(RunningLoads loads, LoadProperties properties) {
        this.loads = loads;
        this.properties = properties;
    }

    @Override
    public int getPhase() {
        // stopped after the graceful shutdown (a higher phase) and before the web server (a lower one)
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 512;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        List<RunningLoads.RunningLoad> finishing = new ArrayList<>();
        try {
            for (RunningLoads.RunningLoad load : this.loads.owed()) {
                // first no more COMMITs, so what the answer says stays true; then the answer
                RunningLoads.Phase phase = load.stop(this.properties.shutdownCommitWait());
                if (phase == RunningLoads.Phase.FINISHED) {
                    finishing.add(load);
                }
                else if (this.loads.claim(load)) {
                    load.cancelDatabaseWork();
                    answer(load, phase == RunningLoads.Phase.COMMITTING);
                }
            }
            // loads whose last transaction committed answer for themselves, before the server closes connections
            this.loads.awaitAnswered(finishing, FINISHING_WAIT);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * @param inDoubt whether the load's COMMIT was still in flight: whether it committed is not known here
     */
    private void answer(RunningLoads.RunningLoad load, boolean inDoubt) {
        ProblemDetail problem;
        if (inDoubt) {
            problem = ProblemType.OUTCOME_UNKNOWN.problem("The service shut down while the load's COMMIT had no answer "
                    + "yet; GET /api/v1/loads/" + load.loadId() + " tells whether it committed. Do not simply retry");
        }
        else if (load.atomic()) {
            problem = ProblemType.SHUTTING_DOWN.problem("The service shut down before the load ended; nothing was "
                    + "committed, and the load was stopped before it could commit");
        }
        else {
            problem = ProblemType.SHUTTING_DOWN.problem("The service shut down before the load ended; the rows of the "
                    + "records up to committedThroughRecord (rowsCommitted rows) were committed and stay, nothing after "
                    + "them was, and the load was stopped before it could commit more");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (load.loadId() != null) {
            body.put("loadId", load.loadId());
        }
        body.put("table", load.table());
        body.put("rowsCommitted", load.rowsCommitted());
        if (!load.atomic() && !inDoubt) {
            body.put("committedThroughRecord", load.committedThroughRecord());
        }
        if (load.traceId() != null) {
            body.put(ProblemTraceIds.PROPERTY, load.traceId());
        }
        HttpServletResponse response = load.response();
        try {
            if (response.isCommitted()) {
                return;
            }
            byte[] bytes = this.json.writeValueAsBytes(body);
            response.setStatus(problem.getStatus());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.properties.retryAfter().toSeconds()));
            response.setHeader(HttpHeaders.CONNECTION, "close");
            response.setContentLength(bytes.length);
            OutputStream out = response.getOutputStream();
            out.write(bytes);
            response.flushBuffer();
            logger.warn("Load into {} answered 503 {} ({} rows committed)", load.table(),
                    inDoubt ? "outcome-unknown" : "shutting-down", load.rowsCommitted());
        }
        catch (IOException | RuntimeException ex) {
            logger.info("Load into {} could not be answered at shutdown: {}", load.table(), ex.getMessage());
        }
    }
}
