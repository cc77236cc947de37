package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/** Metrics after a real load, the exposed actuator endpoints, and the OpenAPI document. */
@BulkLoaderTest
class ActuatorAndOpenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
    }

    @Test
    void prometheusShowsEveryBulkloadMeterAfterALoad() {
        String table = new TestTables(this.jdbc).users();
        assertThat(this.client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n").status()).isEqualTo(200);
        assertThat(this.client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n").status()).isEqualTo(422);
        String metrics = this.client.get("/actuator/prometheus").body();
        String tag = "table=\"public." + table + "\"";
        assertThat(metrics).contains("bulkload_rows_total{application=\"bulk-loader\",mode=\"insert\",outcome=\"inserted\","
                + tag + "} 1.0");
        assertThat(metrics).contains("bulkload_rows_total{application=\"bulk-loader\",mode=\"insert\",outcome=\"rejected\","
                + tag + "} 1.0");
        assertThat(metrics).containsPattern("bulkload_bytes_total\\{[^}]*format=\"csv\"[^}]*" + java.util.regex.Pattern.quote(tag));
        assertThat(metrics).containsPattern("bulkload_load_seconds_bucket\\{[^}]*outcome=\"success\"");
        assertThat(metrics).containsPattern("bulkload_load_seconds_count\\{[^}]*outcome=\"failure\"");
        assertThat(metrics).contains("bulkload_batch_seconds_bucket{");
        assertThat(metrics).contains("bulkload_load_throughput_count{");
        assertThat(metrics).contains("bulkload_loads_active{application=\"bulk-loader\"} 0.0");
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        assertThat(this.client.get("/actuator/health").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/info").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/env").status()).isEqualTo(404);
        assertThat(this.client.get("/actuator/beans").status()).isEqualTo(404);
        assertThat(this.client.get("/actuator").body()).doesNotContain("/actuator/env");
    }

    @Test
    void openApiDocumentsParametersUploadAndProblems() {
        LoadClient.Response response = this.client.get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        JsonNode post = response.json().get("paths").get("/api/v1/tables/{table}/rows").get("post");
        assertThat(post).isNotNull();
        String text = post.toString();
        for (String parameter : new String[] { "mode", "key", "method", "atomic", "onError", "maxErrors", "batchSize",
                "dryRun", "header",
                "delimiter", "quote", "null", "columns" }) {
            assertThat(text).as(parameter).contains("\"name\":\"" + parameter + "\"");
        }
        assertThat(text).contains("\"name\":\"overriding\"", "\"system\"");
        assertThat(text).contains("text/csv", "application/json", "application/x-ndjson", "multipart/form-data");
        assertThat(text).contains("#/components/schemas/UploadForm");
        assertThat(response.json().get("components").get("schemas").get("UploadForm").toString())
            .contains("\"file\":{").contains("\"format\":\"binary\"");
        assertThat(text).contains("\"413\"", "\"415\"", "\"422\"", "\"503\"", "application/problem+json");
        assertThat(text).contains("DEFAULT");
        assertThat(text).contains("\"upsert\"", "\"ignore\"", "\"update\"", "\"skip\"");
        JsonNode schemas = response.json().get("components").get("schemas");
        assertThat(schemas.get("ProblemDetail").get("properties").has("traceId")).as("problems name their trace")
            .isTrue();
        assertThat(schemas.get("Load").get("properties").has("traceId")).as("a load names its trace").isTrue();
        assertThat(this.client.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void unmappedPathsAnswerWithProblemDetails() {
        LoadClient.Response response = this.client.get("/no/such/path");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
