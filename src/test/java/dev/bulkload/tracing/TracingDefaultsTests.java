package dev.bulkload.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderApplication;
import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabase;
import dev.bulkload.TestTables;

/**
 * The service as it starts without an OTLP endpoint (the default): no exporter exists, so nothing is sent and
 * nothing about tracing is logged, yet every load still has a trace id, in its problem, its registry row and its
 * log lines, also as structured JSON. At sampling zero the ids remain and no span is recorded, unless the caller's
 * {@code traceparent} says its trace is sampled.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingDefaultsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void withoutAnEndpointNothingIsExportedAndProblemsAndJsonLogsStillNameTheTrace(CapturedOutput output) {
        try (ConfigurableApplicationContext service = start("--logging.structured.format.console=ecs")) {
            assertThat(service.getBeansOfType(SpanExporter.class)).as("no exporter without an endpoint").isEmpty();
            LoadClient client = new LoadClient(port(service));
            String table = new TestTables(service.getBean(JdbcClient.class)).users();
            LoadClient.Response response = client.load(table, "", "text/csv", "name,email\nAnn,\n");
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            String traceId = response.text("traceId");
            assertThat(traceId).matches("[0-9a-f]{32}");
            String loadId = response.text("loadId");
            assertThat(client.get("/api/v1/loads/" + loadId).text("traceId")).isEqualTo(traceId);

            List<JsonNode> loadLines = jsonLines(output).stream()
                .filter((line) -> line.path("message").asString("").startsWith("Load " + loadId))
                .toList();
            assertThat(loadLines).as("the load's ECS log line").singleElement()
                .satisfies((line) -> assertThat(line.path("traceId").asString("")).isEqualTo(traceId));
        }
        assertThat(output.getAll()).as("nothing about exporting spans is logged")
            .doesNotContainIgnoringCase("otlp")
            .doesNotContain("io.opentelemetry")
            .doesNotContainIgnoringCase("Failed to export");
    }

    @Test
    void atSamplingZeroALoadStillNamesItsTraceButRecordsNoSpansUnlessItsCallerSamples() {
        try (OtlpReceiver receiver = OtlpReceiver.start();
                ConfigurableApplicationContext service = start("--management.tracing.sampling.probability=0",
                        "--management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.endpoint(),
                        "--management.opentelemetry.tracing.export.schedule-delay=100ms")) {
            LoadClient client = new LoadClient(port(service));
            String table = new TestTables(service.getBean(JdbcClient.class)).users();
            LoadClient.Response rejected = client.load(table, "", "text/csv", "name,email\nBob,\n");
            assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
            String unsampled = rejected.text("traceId");
            assertThat(unsampled).matches("[0-9a-f]{32}");
            assertThat(client.get("/api/v1/loads/" + rejected.text("loadId")).text("traceId")).isEqualTo(unsampled);

            // a caller that samples its trace has the load's spans recorded whatever the service's own rate
            String sampled = "6bf92f3577b34da6a3ce929d0e0e4738";
            LoadClient.Response loaded = client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n",
                    "traceparent", "00-" + sampled + "-00f067aa0ba902b7-01");
            assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> receiver.trace(sampled).stream().anyMatch((span) -> span.name().equals("bulkload.load")));
            assertThat(receiver.trace(unsampled)).as("spans of the unsampled load, ended before the sampled one's")
                .isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        TestDatabase.Settings settings = TestDatabase.settings();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + settings.url(),
                "--spring.datasource.username=" + nullToEmpty(settings.username()),
                "--spring.datasource.password=" + nullToEmpty(settings.password()),
                "--bulkload.security.enabled=false", "--spring.main.banner-mode=off"));
        args.addAll(List.of(properties));
        return new SpringApplication(BulkLoaderApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        return output.getOut()
            .lines()
            .filter((line) -> line.startsWith("{"))
            .map((line) -> JSON.readTree(line))
            .toList();
    }

    private static String nullToEmpty(String value) {
        return (value != null) ? value : "";
    }
}
