package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * {@code GET /api/v1/loads/{id}/rejects?form=records}: the rejected records as a file to fix and load again, in the
 * load's own format with its header row, named after the table and the uploaded file; fixed, it loads.
 */
@BulkLoaderTest
class RejectedRecordsDownloadTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
    void csvUploadDownloadsItsHeaderAndTheRejectedRecordsNamedAfterTableAndFileAndLoadsOnceFixed() {
        String table = this.tables.users();
        // a semicolon file from Excel: CRLF line ends, a BOM, a quoted line break in a rejected record
        String csv = "\uFEFFName;E-mail\r\nAnn;ann@example.com\r\n\"Bob\r\nJr\";\r\nCy;cy@example.com\r\n;dee@example.com\r\n";
        LoadClient.Response report = this.client.upload(table,
                "onError=skip&delimiter=%3B&map=Name:name&map=E-mail:email", "export.csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.number("rowsRejected")).isEqualTo(2);

        LoadClient.Response records = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=records");

        assertThat(records.status()).as(records.body()).isEqualTo(200);
        assertThat(records.contentType()).startsWith("text/csv");
        assertThat(records.header("Content-Disposition")).startsWith("attachment;")
            .contains("filename=\"" + table + "-rejects-export.csv\"");
        assertThat(records.body()).isEqualTo("Name;E-mail\r\n\"Bob\r\nJr\";\r\n;dee@example.com\r\n");
        // the same file, fixed, loads with the same options
        String fixed = records.body().replace("\"Bob\r\nJr\";", "Bob Jr;bob@example.com").replace(";dee@", "Dee;dee@");
        LoadClient.Response again = this.client.upload(table, "delimiter=%3B&map=Name:name&map=E-mail:email",
                "fixed.csv", "text/csv", fixed.getBytes(StandardCharsets.UTF_8));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(this.tables.count(table)).isEqualTo(4);
    }

    @Test
    void ndjsonRecordsComeBackOneALineWithoutTheirLineBreaks() {
        String table = this.tables.users();
        String ndjson = "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}\n{\"name\":\"Bob\"}\r\n"
                + "{\"name\":\"Cy\",\"email\":\"cy@example.com\"}\n{\"name\":null,\"email\":\"dee@example.com\"}";
        LoadClient.Response report = this.client.load(table, "onError=skip", "application/x-ndjson", ndjson);
        assertThat(report.status()).as(report.body()).isEqualTo(200);

        LoadClient.Response records = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=records");

        assertThat(records.status()).as(records.body()).isEqualTo(200);
        assertThat(records.contentType()).startsWith("application/x-ndjson");
        // no file: named after the table and the load
        assertThat(records.header("Content-Disposition"))
            .contains("filename=\"" + table + "-rejects-" + report.text("id") + ".ndjson\"");
        assertThat(records.body()).isEqualTo("{\"name\":\"Bob\"}\n{\"name\":null,\"email\":\"dee@example.com\"}\n");
    }

    @Test
    void prettyPrintedJsonArrayRecordsBecomeNdjsonNamedAfterTheGzippedFile() throws Exception {
        String table = this.tables.users();
        String json = "[\n  {\"name\": \"Ann\", \"email\": \"ann@example.com\"},\n  {\n    \"name\": \"Bob\",\n"
                + "    \"email\": null\n  }\n]\n";
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        LoadClient.Response report = this.client.upload(table, "onError=skip", "people.json.gz", "application/gzip",
                gzipped.toByteArray());
        assertThat(report.status()).as(report.body()).isEqualTo(200);

        LoadClient.Response records = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=records");

        assertThat(records.status()).as(records.body()).isEqualTo(200);
        assertThat(records.header("Content-Disposition")).contains("filename=\"" + table + "-rejects-people.ndjson\"");
        String[] lines = records.body().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode record = JSON.readTree(lines[0]);
        assertThat(record.get("name").asString()).isEqualTo("Bob");
        assertThat(record.get("email").isNull()).isTrue();
    }

    @Test
    void aRecordThatIsNotUtf8TextIsLeftOutAndCountedNotStoredAltered() {
        String table = this.tables.users();
        byte[] ndjson = ("{\"name\":\"Bob\"}\n{\"name\":\"J\u00fcrgen\",\"email\":\"j@example.com\"}\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        LoadClient.Response report = this.client.load(table, "onError=skip", "application/x-ndjson", ndjson);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.number("rowsRejected")).isEqualTo(2);

        LoadClient.Response records = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=records");

        assertThat(records.status()).as(records.body()).isEqualTo(200);
        // the latin-1 byte cannot be stored as text: the record comes back in no altered form
        assertThat(records.header("Bulkload-Records-Omitted")).isEqualTo("1");
        assertThat(records.body()).isEqualTo("{\"name\":\"Bob\"}\n");
    }

    @Test
    void aRecordKeptCutAtTheRawLimitIsLeftOutAndCounted() {
        String table = this.tables.users();
        // longer than bulkload.load.reject-raw-bytes (1,024): its text is kept cut, and would load cut short
        String longName = "L".repeat(3000);
        String csv = "name,email\nAnn,\n" + longName + ",\nCy,cy@example.com\n";
        LoadClient.Response report = this.client.load(table, "onError=skip", "text/csv", csv);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.number("rowsRejected")).isEqualTo(2);
        assertThat(report.json().get("rejects").get(1).get("raw").asString()).endsWith("\u2026");

        LoadClient.Response records = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=records");

        assertThat(records.status()).as(records.body()).isEqualTo(200);
        assertThat(records.header("Bulkload-Records-Omitted")).isEqualTo("1");
        assertThat(records.body()).isEqualTo("name,email\r\nAnn,\r\n");
        // the report form still lists it, with its record number
        assertThat(this.client.get("/api/v1/loads/" + report.text("id") + "/rejects").body()).contains("\r\n2,3,");
        assertThat(report.json().get("rejects").get(1).has("rawTruncated")).isFalse();
    }

    @Test
    void theRegistryNamesTheUploadedFile() {
        String table = this.tables.users();
        LoadClient.Response report = this.client.upload(table, "", "dir/users 2026.csv", "text/csv",
                "name,email\nAnn,ann@example.com\n".getBytes(StandardCharsets.UTF_8));
        assertThat(report.status()).as(report.body()).isEqualTo(200);

        LoadClient.Response load = this.client.get("/api/v1/loads/" + report.text("id"));

        assertThat(load.text("source")).isEqualTo("dir/users 2026.csv");
    }

    @Test
    void anUnknownFormIsRefusedNamingTheParameter() {
        String table = this.tables.users();
        LoadClient.Response report = this.client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n");

        LoadClient.Response refused = this.client.get("/api/v1/loads/" + report.text("id") + "/rejects?form=fixed");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).contains("form must be report or records");
    }
}
