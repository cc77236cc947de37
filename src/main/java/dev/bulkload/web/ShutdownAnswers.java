package dev.bulkload.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
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
 * Answers the loads still running when the graceful shutdown phase ends: 503 shutting-down (with
 * {@code rowsCommitted}), written before the web server stops and closes their connections, so a client
 * still reading learns what happened instead of seeing the connection drop. Its phase lies between the
 * graceful shutdown and the web server's stop.
 */
@Component
class ShutdownAnswers implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ShutdownAnswers.class);

    private final RunningLoads loads;

    private final LoadProperties properties;

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
        for (RunningLoads.RunningLoad load : this.loads.claimAll()) {
            answer(load);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void answer(RunningLoads.RunningLoad load) {
        String detail = load.atomic() ? "The service shut down before the load ended; it was rolled back"
                : "The service shut down before the load ended; rowsCommitted rows were committed";
        ProblemDetail problem = ProblemType.SHUTTING_DOWN.problem(detail);
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
            logger.warn("Load into {} answered 503 shutting-down ({} rows committed)", load.table(),
                    load.rowsCommitted());
        }
        catch (IOException | RuntimeException ex) {
            logger.info("Load into {} could not be answered at shutdown: {}", load.table(), ex.getMessage());
        }
    }
}
