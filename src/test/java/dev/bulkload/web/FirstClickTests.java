package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * What Swagger UI is built from and what a person trying the API meets: typed parameters without examples that
 * contradict the defaults, the report's media type and schema, and problems that name the parameter as typed and
 * speak the service's words.
 */
@BulkLoaderTest
class FirstClickTests {

    private static final String ROWS = "/api/v1/tables/{table}/rows";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).users();
    }

    @Test
    void parametersHaveRealTypesAndNoExampleThatConflictsWithTheDefaults() {
        JsonNode post = this.client.get("/v3/api-docs").json().get("paths").get(ROWS).get("post");
        for (JsonNode parameter : post.get("parameters")) {
            String name = parameter.get("name").asString();
            JsonNode schema = parameter.get("schema");
            if (name.equals("table")) {
                continue; // the path's example is the demo table, which a first Execute may well use
            }
            assertThat(parameter.has("example")).as(name + " example").isFalse();
            assertThat(schema.has("example")).as(name + " schema example").isFalse();
            if (List.of("header", "delimiter", "quote", "null", "columns", "recordsPath").contains(name)) {
                // Swagger UI sends a default with every Execute, and a load of another format refuses these
                assertThat(schema.has("default")).as(name + " default").isFalse();
            }
            switch (name) {
                case "atomic", "dryRun", "header" -> assertThat(schema.get("type").asString()).as(name)
                    .isEqualTo("boolean");
                case "maxErrors", "batchSize" -> {
                    assertThat(schema.get("type").asString()).as(name).isEqualTo("integer");
                    assertThat(schema.has("minimum")).as(name + " minimum").isTrue();
                    if (name.equals("batchSize")) {
                        assertThat(schema.get("maximum").asInt()).isEqualTo(1_000_000);
                    }
                }
                case "mode", "method", "onError", "unknownFields", "match" -> {
                    assertThat(schema.get("enum")).as(name).isNotEmpty();
                    assertThat(schema.has("default")).as(name + " default").isTrue();
                }
                case "map" -> {
                    // the one example Swagger UI fills in: harmless to a file without the field (SwaggerUiTests)
                    assertThat(schema.get("type").asString()).isEqualTo("array");
                    assertThat(parameter.get("examples").get("Full Name:name").get("value").toString())
                        .isEqualTo("[\"Full Name:name\"]");
                }
                case "dateStyle" -> assertThat(schema.get("enum").toString()).isEqualTo("[\"ISO\",\"MDY\",\"DMY\",\"YMD\"]");
                case "recordsPath" -> assertThat(parameter.get("description").asString()).contains("/data",
                        "JSON Pointer");
                default -> {
                }
            }
        }
    }

    @Test
    void reportIsJsonWithItsSchemaAndTheFilePickerComesFirst() {
        JsonNode document = this.client.get("/v3/api-docs").json();
        JsonNode post = document.get("paths").get(ROWS).get("post");
        JsonNode ok = post.get("responses").get("200").get("content");
        assertThat(ok.propertyNames()).containsExactly("application/json");
        assertThat(ok.get("application/json").get("schema").get("$ref").asString())
            .isEqualTo("#/components/schemas/LoadReport");
        assertThat(document.get("components").get("schemas").get("LoadReport").get("properties").propertyNames())
            .contains("rowsReceived", "rowsInserted", "rowsRejected", "rejects");
        assertThat(post.get("requestBody").get("content").propertyNames().iterator().next())
            .isEqualTo("multipart/form-data");
    }

    @Test
    void columnsWithAHeaderNamesColumns() {
        LoadClient.Response response = this.client.load(this.table, "columns=name,email", "text/csv",
                "name,email\nAnn,ann@example.com\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("columns");
        assertThat(response.text("detail")).isEqualTo("columns is for header=false only");
    }

    @Test
    void csvOptionsThatClashNameTheParameter() {
        assertThat(this.client.load(this.table, "quote=,", "text/csv", "name,email\n").text("parameter"))
            .isEqualTo("quote");
        assertThat(this.client.load(this.table, "null=%2C", "text/csv", "name,email\n").text("parameter"))
            .isEqualTo("null");
    }

    @Test
    void valuesOfTheWrongTypeNameTheParameterInTheServicesWords() {
        LoadClient.Response flag = this.client.load(this.table, "atomic=maybe", "text/csv", "name,email\n");
        assertThat(flag.status()).isEqualTo(400);
        assertThat(flag.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(flag.text("parameter")).isEqualTo("atomic");
        assertThat(flag.text("detail")).isEqualTo("atomic must be true or false");

        LoadClient.Response count = this.client.load(this.table, "batchSize=many", "text/csv", "name,email\n");
        assertThat(count.text("parameter")).isEqualTo("batchSize");
        assertThat(count.text("detail")).isEqualTo("batchSize must be a whole number");
        assertThat(count.body()).doesNotContain("java.lang", "Integer", "convert");
    }

    @Test
    void unsupportedMediaTypesListTheAcceptedOnesUnderOneTitle() {
        LoadClient.Response plain = this.client.load(this.table, "", "text/plain", "name,email\n");
        LoadClient.Response unknownCharset = this.client.load(this.table, "", "text/csv; charset=no-such-charset",
                "name,email\n");
        LoadClient.Response unreadCharset = this.client.load(this.table, "", "text/csv; charset=Shift_JIS",
                "name,email\n");
        for (LoadClient.Response response : List.of(plain, unknownCharset, unreadCharset)) {
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:unsupported-media-type");
            assertThat(response.text("title")).isEqualTo("Unsupported media type");
            assertThat(response.json().get("accepted").toString()).contains("text/csv", "application/json",
                    "application/x-ndjson", "multipart/form-data");
        }
        assertThat(plain.text("detail")).contains("text/plain", "text/csv", "multipart/form-data");
        assertThat(unknownCharset.text("detail")).contains("'no-such-charset'", "utf-8", "windows-1252");
        assertThat(unreadCharset.text("detail")).contains("'Shift_JIS'", "utf-8", "windows-1252");
    }

    @Test
    void jsonProblemsNameNoLibraryInternals() {
        String deep = "[" + "{\"name\":".repeat(20) + "1" + "}".repeat(20) + "]";
        LoadClient.Response tooDeep = this.client.load(this.table, "", "application/json", deep);
        LoadClient.Response cut = this.client.load(this.table, "", "application/json", "[{\"name\":\"Ann\"");
        assertThat(tooDeep.status()).isEqualTo(413);
        assertThat(cut.status()).isEqualTo(400);
        for (LoadClient.Response response : List.of(tooDeep, cut)) {
            assertThat(response.text("detail")).doesNotContain("`", "StreamReadConstraints", "StreamReadFeature",
                    "REDACTED", "Source:", "tools.jackson");
        }
        assertThat(tooDeep.text("detail")).contains("16");
    }
}
