package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import dev.bulkload.body.LoadFormat;
import dev.bulkload.body.PayloadCharset;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.json.RecordsPath;
import dev.bulkload.row.WriteMode;
import dev.bulkload.session.DateStyle;
import tools.jackson.databind.JsonNode;

/**
 * What a load says of the options it used: the report's {@code options}, the registry's row, and the
 * Idempotency-Key fingerprint, which the options that change what is written are part of.
 */
@BulkLoaderTest
class UsedOptionsTests {

    private static final String PAGE = "{\"page\":1,\"data\":[{\"name\":\"Ann\",\"email\":\"ann@example.com\","
            + "\"created_at\":\"31/12/2024 10:00+00\"}],\"next\":null}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
    }

    @Test
    void aLoadWithTheDefaultsReportsNoOptions() {
        LoadClient.Response response = this.client.load(this.tables.users(), "", "text/csv", "name,email\nA,a@x\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("options")).isFalse();
    }

    @Test
    void theReportAndTheRegistrySayWhichRecordsPathAndDateStyleTheLoadUsed() {
        LoadClient.Response response = this.client.load(this.tables.users(),
                "recordsPath=/data&dateStyle=dmy&onError=skip&batchSize=10", "application/json", PAGE);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode options = response.json().get("options");
        assertThat(options.propertyNames()).containsExactly("onError", "batchSize", "recordsPath", "dateStyle");
        assertThat(options.get("recordsPath").asString()).isEqualTo("/data");
        assertThat(options.get("dateStyle").asString()).isEqualTo("DMY");
        assertThat(options.get("batchSize").asInt()).isEqualTo(10);

        JsonNode row = this.client.get("/api/v1/loads/" + response.text("id")).json().get("options");
        assertThat(row.get("recordsPath").asString()).isEqualTo("/data");
        assertThat(row.get("dateStyle").asString()).isEqualTo("DMY");
        assertThat(row.get("onError").asString()).isEqualTo("skip");
    }

    @Test
    void csvOptionsThatAreNotTheDefaultsAreReported() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "header=false&columns=name,email&delimiter=%3B&null=-",
                "text/csv", "Ann;ann@example.com\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("options").toString())
            .isEqualTo("{\"header\":false,\"delimiter\":\";\",\"null\":\"-\",\"columns\":\"name,email\"}");
    }

    @Test
    void aRetryWithAnotherDateStyleOrRecordsPathIsAnotherRequest() {
        String table = this.tables.users();
        String key = "\"dates-" + System.nanoTime() + "\"";
        LoadClient.Response first = this.client.load(table, "recordsPath=/data&dateStyle=DMY", "application/json",
                PAGE, "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        LoadClient.Response again = this.client.load(table, "recordsPath=/data&dateStyle=DMY", "application/json",
                PAGE, "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        for (String other : List.of("recordsPath=/data&dateStyle=MDY", "recordsPath=/data", "dateStyle=DMY&recordsPath=/data/",
                "recordsPath=/data&dateStyle=ISO")) {
            LoadClient.Response response = this.client.load(table, other, "application/json", PAGE, "Idempotency-Key",
                    key);
            assertThat(response.status()).as(other).isEqualTo(422);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        }
        assertThat(this.tables.count(table)).isEqualTo(1);
    }

    /** A load without the options added since is fingerprinted as before them: its stored keys still match. */
    @Test
    void theFingerprintOfALoadWithoutTheNewOptionsIsUnchanged() {
        LoadRequest plain = new LoadRequest("users", LoadFormat.CSV, true, WriteMode.UPSERT, List.of("email"),
                LoadMethod.BATCH, false, true, 5, 100, false, new CsvFormat(false, ';', '\'', "NULL",
                        List.of("name", "email")));
        assertThat(plain.writtenOptions()).isEqualTo(String.join("\n", "csv", "true", "upsert", "email", "batch",
                "false", "true", "5", "100", "false", "false", ";", "'", "NULL", "name,email"));
        LoadRequest dated = new LoadRequest("users", LoadFormat.JSON, false, WriteMode.INSERT, List.of(),
                LoadMethod.COPY, true, false, null, 100, false, CsvFormat.DEFAULT, null, RecordsPath.parse("/a~1b"),
                DateStyle.YMD, PayloadCharset.UTF_8, false);
        assertThat(dated.writtenOptions()).endsWith("\nrecordsPath=/a~1b\ndateStyle=YMD");
        assertThat(dated.usedOptions(100)).isEqualTo(Map.of("recordsPath", "/a~1b", "dateStyle", "YMD"));
        LoadRequest latin = dated.withCharset(PayloadCharset.named("latin1"));
        assertThat(latin.writtenOptions()).endsWith("\ndateStyle=YMD\ncharset=iso-8859-1");
        assertThat(latin.usedOptions(100)).containsEntry("charset", "iso-8859-1");
    }
}
