package dev.bulkload.training;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Once the service is ready, sends it the training set through its own port (as a client would: HTTP, the API
 * key, every filter), checks each answer, drops the table and exits: 0 when every load answered as expected, 1
 * otherwise, so an image build whose training went wrong fails instead of shipping a cache that trained nothing.
 */
@Component
@ConditionalOnBooleanProperty("bulkload.training.enabled")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger logger = LoggerFactory.getLogger(TrainingRun.class);

    private final TrainingProperties properties;

    private final JdbcClient jdbc;

    TrainingRun(TrainingProperties properties, DataSource dataSource) {
        this.properties = properties;
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        int code;
        try {
            code = train(port);
        }
        catch (IOException | RuntimeException ex) {
            logger.error("AOT training run failed", ex);
            code = 1;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            code = 1;
        }
        int exit = code;
        System.exit(SpringApplication.exit(event.getApplicationContext(), () -> exit));
    }

    private int train(int port) throws IOException, InterruptedException {
        String table = "public." + this.properties.table();
        this.jdbc.sql("drop table if exists " + table).update();
        this.jdbc.sql("create table " + table + " (" + TrainingLoads.COLUMNS + ")").update();
        List<TrainingLoad> loads = TrainingLoads.of(this.properties.rounds());
        long started = System.nanoTime();
        int failed = 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            for (TrainingLoad load : loads) {
                HttpRequest.Builder request = HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + "/api/v1/tables/" + table + "/rows"
                            + load.query()))
                    .timeout(Duration.ofMinutes(1))
                    .header("Content-Type", load.contentType())
                    .POST(HttpRequest.BodyPublishers.ofString(load.body()));
                if (!this.properties.apiKey().isEmpty()) {
                    request.header("X-API-Key", this.properties.apiKey());
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (!answeredAsExpected(load, response)) {
                    failed++;
                    logger.error("AOT training load {} {} answered {}: {}", load.contentType(), load.query(),
                            response.statusCode(), response.body());
                }
            }
        }
        finally {
            this.jdbc.sql("drop table if exists " + table).update();
        }
        logger.info("AOT training run: {} loads in {} ms, {} not answered as expected", loads.size(),
                (System.nanoTime() - started) / 1_000_000, failed);
        return (failed == 0) ? 0 : 1;
    }

    private static boolean answeredAsExpected(TrainingLoad load, HttpResponse<String> response) {
        if (response.statusCode() != load.status()) {
            return false;
        }
        return load.status() != 200 || response.body().contains("\"rowsRejected\":" + load.rejected() + ",");
    }
}
