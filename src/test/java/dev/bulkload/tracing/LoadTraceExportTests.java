package dev.bulkload.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;
import dev.bulkload.tracing.OtlpReceiver.ExportedSpan;

/**
 * A load followed through its trace as an SRE would: the spans arrive at a real OTLP/HTTP endpoint (the test's
 * own), and the trace they form is the one named by the load's problem, its registry row, its log lines and the
 * load-duration histogram's exemplar.
 */
@BulkLoaderTest
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class LoadTraceExportTests {

    private static final OtlpReceiver receiver = OtlpReceiver.start();

    private static final String CSV = "text/csv";

    @DynamicPropertySource
    static void otlp(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "100ms");
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestTables tables;

    LoadClient client;

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
        this.client = new LoadClient(this.port);
    }

    @Test
    void aFailedLoadIsOneTraceFromItsRequestThroughItsChunksCopiesIsolationAndCommits(CapturedOutput output) {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "atomic=false&batchSize=2", CSV,
                "name,email\nAnn,ann@example.com\nBob,bob@example.com\nCid,cid@example.com\nDee,dee@example.com\n"
                        + "Eve,\n");
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        String traceId = response.text("traceId");
        String loadId = response.text("loadId");
        assertThat(traceId).as(response.body()).matches("[0-9a-f]{32}");
        assertThat(this.client.get("/api/v1/loads/" + loadId).text("traceId")).as("the registry row's trace")
            .isEqualTo(traceId);

        List<ExportedSpan> trace = awaitTrace(traceId, "http post", "bulkload.load", "bulkload.isolate");
        ExportedSpan http = only(trace, "http post /api/v1/tables/{table}/rows");
        assertThat(http.parentId()).as("the request's span is the trace's root").isEmpty();
        ExportedSpan load = only(trace, "bulkload.load");
        assertThat(load.parentId()).as("the load's span is a child of the request's").isEqualTo(http.spanId());
        assertThat(load.attributes()).containsEntry("bulkload.table", "public." + table)
            .containsEntry("bulkload.format", "csv")
            .containsEntry("bulkload.mode", "insert")
            .containsEntry("bulkload.method", "copy")
            .containsEntry("bulkload.atomic", false)
            .containsEntry("bulkload.load.id", loadId)
            .containsEntry("bulkload.status", "failed")
            .containsEntry("bulkload.problem.type", "urn:bulkload:problem:row-rejected")
            .containsEntry("bulkload.rows.committed", 4L)
            .containsEntry("bulkload.record", 5L)
            .containsEntry("bulkload.sql_state", "23502");
        assertThat(load.error()).isTrue();
        assertThat(load.attributes().values()).as("no row's values on the span").noneMatch(
                (value) -> String.valueOf(value).contains("Eve"));

        List<ExportedSpan> chunks = sorted(named(trace, "bulkload.chunk"), "bulkload.chunk");
        assertThat(chunks).hasSize(3).allSatisfy((chunk) -> assertThat(chunk.parentId()).isEqualTo(load.spanId()));
        assertThat(chunks.get(0).attributes()).containsEntry("bulkload.record.first", 1L)
            .containsEntry("bulkload.record.last", 2L)
            .containsEntry("bulkload.rows.received", 2L)
            .containsEntry("bulkload.rows.inserted", 2L);
        assertThat(chunks.get(1).attributes()).containsEntry("bulkload.record.first", 3L)
            .containsEntry("bulkload.rows.inserted", 2L);
        assertThat(chunks.get(2).error()).as("the chunk of the refused row").isTrue();

        Map<String, ExportedSpan> chunkById = chunks.stream()
            .collect(Collectors.toMap(ExportedSpan::spanId, Function.identity()));
        List<ExportedSpan> copies = named(trace, "bulkload.copy");
        assertThat(copies).hasSize(3).allSatisfy((copy) -> assertThat(chunkById).containsKey(copy.parentId()));
        ExportedSpan isolate = only(trace, "bulkload.isolate");
        assertThat(isolate.parentId()).isEqualTo(chunks.get(2).spanId());
        assertThat(isolate.attributes()).containsEntry("bulkload.sql_state", "23502")
            .containsEntry("bulkload.record", 5L);
        assertThat(isolate.error()).isTrue();

        List<ExportedSpan> commits = sorted(named(trace, "bulkload.commit"), "bulkload.rows.committed");
        assertThat(commits).hasSize(2).allSatisfy((commit) -> {
            assertThat(commit.parentId()).isEqualTo(load.spanId());
            assertThat(commit.attributes()).containsEntry("bulkload.committed", true);
        });
        assertThat(commits.get(0).attributes()).containsEntry("bulkload.rows.committed", 2L);
        assertThat(commits.get(1).attributes()).containsEntry("bulkload.rows.committed", 4L)
            .containsEntry("bulkload.record.last", 4L);

        assertThat(output.getOut().lines().filter((line) -> line.contains("Load " + loadId) && line.contains("failed")))
            .as("the load's log line names its trace").singleElement().asString().contains(traceId);
    }

    @Test
    void aStagedLoadsSpanCarriesItsCountsAndItsMergesAndCommit() {
        String table = this.tables.users();
        this.jdbc.sql("insert into public." + table + " (name, email) values ('Old', 'ann@example.com')").update();
        LoadClient.Response response = this.client.load(table, "mode=upsert&key=email&onError=skip", CSV,
                "name,email\nAnn,ann@example.com\nBob,bob@example.com\nNoMail,\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String traceId = this.client.get("/api/v1/loads/" + response.text("id")).text("traceId");
        assertThat(traceId).matches("[0-9a-f]{32}");

        List<ExportedSpan> trace = awaitTrace(traceId, "http post", "bulkload.load", "bulkload.commit");
        ExportedSpan load = only(trace, "bulkload.load");
        assertThat(load.attributes()).containsEntry("bulkload.status", "succeeded")
            .containsEntry("bulkload.mode", "upsert")
            .containsEntry("bulkload.on_error", "skip")
            .containsEntry("bulkload.rows.received", 3L)
            .containsEntry("bulkload.rows.inserted", 1L)
            .containsEntry("bulkload.rows.updated", 1L)
            .containsEntry("bulkload.rows.skipped", 0L)
            .containsEntry("bulkload.rows.rejected", 1L)
            .containsEntry("bulkload.load.id", response.text("id"));
        assertThat(load.error()).isFalse();
        ExportedSpan chunk = only(trace, "bulkload.chunk");
        ExportedSpan merge = only(trace, "bulkload.merge");
        assertThat(merge.parentId()).isEqualTo(chunk.spanId());
        assertThat(merge.attributes()).containsEntry("bulkload.rows", 2L)
            .containsEntry("bulkload.rows.inserted", 1L)
            .containsEntry("bulkload.rows.updated", 1L);
        ExportedSpan commit = only(trace, "bulkload.commit");
        assertThat(commit.parentId()).isEqualTo(load.spanId());
        assertThat(commit.attributes()).containsEntry("bulkload.committed", true)
            .containsEntry("bulkload.last", true);
    }

    @Test
    void theLoadDurationHistogramCarriesTheLoadsTraceAsAnExemplar() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "", CSV, "name,email\nAnn,ann@example.com\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String traceId = this.client.get("/api/v1/loads/" + response.text("id")).text("traceId");

        LoadClient.Response scrape = this.client.get("/actuator/prometheus", "Accept",
                "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body().lines()
            .filter((line) -> line.startsWith("bulkload_load_seconds_bucket{") && line.contains("public." + table)))
            .as("a bucket of this table's load duration has the load's trace as exemplar")
            .anySatisfy((line) -> assertThat(line).contains("trace_id=\"" + traceId + "\""));
        // the trace of the load span itself, not only of the request
        List<ExportedSpan> trace = awaitTrace(traceId, "bulkload.load");
        String loadSpan = only(trace, "bulkload.load").spanId();
        assertThat(scrape.body().lines()
            .filter((line) -> line.startsWith("bulkload_load_seconds_bucket{") && line.contains(traceId)))
            .anySatisfy((line) -> assertThat(line).contains("span_id=\"" + loadSpan + "\""));
    }

    @Test
    void problemsNameTheTraceTheCallerSent() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String[] traceparent = { "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01" };
        LoadClient.Response notFound = this.client.get("/api/v1/tables/no_such_table_x", traceparent);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.text("traceId")).as(notFound.body()).isEqualTo(traceId);

        LoadClient.Response noPath = this.client.get("/no/such/path", traceparent);
        assertThat(noPath.status()).isEqualTo(404);
        assertThat(noPath.text("traceId")).as(noPath.body()).isEqualTo(traceId);

        LoadClient.Response unsupported = this.client.load(this.tables.users(), "", "text/plain", "x", traceparent);
        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.text("traceId")).as(unsupported.body()).isEqualTo(traceId);

        LoadClient.Response badParameter = this.client.load(this.tables.users(), "atomic=maybe", CSV, "name\n",
                traceparent);
        assertThat(badParameter.status()).isEqualTo(400);
        assertThat(badParameter.text("traceId")).as(badParameter.body()).isEqualTo(traceId);

        String table = this.tables.users();
        LoadClient.Response rejected = this.client.load(table, "", CSV, "name,email\nAnn,\n", traceparent);
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.text("traceId")).as("a load continues its caller's trace").isEqualTo(traceId);
        assertThat(this.client.get("/api/v1/loads/" + rejected.text("loadId")).text("traceId")).isEqualTo(traceId);
    }

    @Test
    void aRequestTomcatRefusesBeforeAnyFilterHasNoTraceAndItsProblemNamesNone() {
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send("POST /api/v1/tables/users%00/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 11\r\nConnection: close\r\n\r\nname,email\n");
            RawHttp.Response response = http.readUntilClosed();
            assertThat(response.status()).isEqualTo(400);
            JsonNode problem = response.json();
            assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:http-400");
            assertThat(problem.has("traceId")).as(response.body()).isFalse();
        }
    }

    @Test
    void healthProbesAndScrapesAreNotExported() {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        String[] traceparent = { "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01" };
        assertThat(this.client.get("/readyz", traceparent).status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/prometheus", traceparent).status()).isEqualTo(200);
        // a request after them, in the same trace, is exported: once it is there, the probes would have been
        assertThat(this.client.get("/api/v1/tables/no_such_table_y", traceparent).status()).isEqualTo(404);
        List<ExportedSpan> trace = awaitTrace(traceId, "http get /api/v1/tables/{table}");
        assertThat(trace).extracting(ExportedSpan::name).containsExactly("http get /api/v1/tables/{table}");
    }

    /** Waits until the trace holds a span whose name starts with each of {@code names}. */
    private static List<ExportedSpan> awaitTrace(String traceId, String... names) {
        return await().atMost(20, TimeUnit.SECONDS)
            .until(() -> receiver.trace(traceId), (spans) -> List.of(names)
                .stream()
                .allMatch((name) -> spans.stream().anyMatch((span) -> span.name().startsWith(name))));
    }

    private static List<ExportedSpan> named(List<ExportedSpan> trace, String name) {
        return trace.stream().filter((span) -> span.name().equals(name)).toList();
    }

    private static ExportedSpan only(List<ExportedSpan> trace, String name) {
        List<ExportedSpan> spans = named(trace, name);
        assertThat(spans).as("spans named %s in %s", name, trace).hasSize(1);
        return spans.get(0);
    }

    private static List<ExportedSpan> sorted(List<ExportedSpan> spans, String attribute) {
        return spans.stream().sorted(Comparator.comparingLong((span) -> (Long) span.attribute(attribute))).toList();
    }
}
