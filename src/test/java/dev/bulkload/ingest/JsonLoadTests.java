package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/** JSON arrays, NDJSON, uploads, gzip, defaults for absent columns and dry runs, over real HTTP. */
@BulkLoaderTest
class JsonLoadTests {

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
    void jsonArrayValuesOfEveryKind() {
        String table = this.tables.create("kinds", "id bigint primary key, name text, amount numeric(12,2), "
                + "active boolean, doc jsonb, tags json, note text");
        String json = """
                [ {"id": 1, "name": "Ann \\"A\\" \\u00e9\\ttab", "amount": 12.5, "active": true,
                   "doc": {"a": [1, 2, {"b": null}]}, "tags": ["x", "y"], "note": null},
                  {"id": 2, "name": "Bob\\nnewline", "amount": -0.01, "active": false,
                   "doc": [], "tags": {}, "note": "back\\\\slash"} ]
                """;
        LoadClient.Response response = this.client.load(table, "", "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.text("format")).isEqualTo("json");
        List<Map<String, Object>> rows = this.jdbc
            .sql("select id, name, amount::text as amount, active, doc::text as doc, tags::text as tags, note from "
                    + table + " order by id")
            .query()
            .listOfRows();
        assertThat(rows.get(0)).containsEntry("name", "Ann \"A\" \u00e9\ttab")
            .containsEntry("amount", "12.50")
            .containsEntry("active", true)
            .containsEntry("doc", "{\"a\": [1, 2, {\"b\": null}]}")
            .containsEntry("tags", "[\"x\",\"y\"]")
            .containsEntry("note", null);
        assertThat(rows.get(1)).containsEntry("name", "Bob\nnewline")
            .containsEntry("amount", "-0.01")
            .containsEntry("active", false)
            .containsEntry("note", "back\\slash");
    }

    @Test
    void absentColumnsTakeTheirDefaultAndNullStaysNull() {
        String table = this.tables.create("defaults", "id bigserial primary key, name text not null, "
                + "status text default 'new', score int, created_at timestamptz not null default now()");
        String ndjson = "{\"name\":\"a\"}\n{\"name\":\"b\",\"status\":null,\"score\":5}\n{\"score\":7,\"name\":\"c\"}\n"
                + "{\"name\":\"d\",\"status\":\"done\"}\n";
        LoadClient.Response response = this.client.load(table, "", "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(4);
        assertThat(this.jdbc.sql("select name, status, score from " + table + " order by name").query().listOfRows())
            .containsExactly(row("a", "new", null), row("b", null, 5), row("c", "new", 7), row("d", "done", null));
        assertThat(this.jdbc.sql("select count(*) from " + table + " where id is not null and created_at is not null")
            .query(Long.class)
            .single()).isEqualTo(4);
    }

    @Test
    void ndjsonWithBlankLinesAndCrLfAndBothMediaTypes() {
        String table = this.tables.users();
        String ndjson = "{\"name\":\"a\",\"email\":\"a@x\"}\r\n\r\n{\"name\":\"b\",\"email\":\"b@x\"}";
        assertThat(this.client.load(table, "", "application/x-ndjson", ndjson).number("rowsInserted")).isEqualTo(2);
        assertThat(this.client.load(table, "", "application/jsonl", "{\"name\":\"c\",\"email\":\"c@x\"}\n")
            .number("rowsInserted")).isEqualTo(1);
        assertThat(this.tables.count(table)).isEqualTo(3);
    }

    @Test
    void gzipBodiesAreDecompressed() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "", "text/csv",
                gzip("name,email\nAnn,ann@example.com\nBob,bob@example.com\n"), "Content-Encoding", "gzip");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        response = this.client.load(table, "method=batch", "application/json",
                gzip("[{\"name\":\"Cy\",\"email\":\"cy@example.com\"}]"), "Content-Encoding", "gzip");
        assertThat(response.number("rowsInserted")).isEqualTo(1);
        assertThat(this.tables.count(table)).isEqualTo(3);
    }

    @Test
    void multipartUploadsByContentTypeOrExtension() {
        String table = this.tables.users();
        byte[] csv = "name,email\nAnn,ann@example.com\n".getBytes(StandardCharsets.UTF_8);
        LoadClient.Response response = this.client.upload(table, "", "users.csv", "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("format")).isEqualTo("csv");
        response = this.client.upload(table, "", "users.ndjson", "application/octet-stream",
                "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("format")).isEqualTo("ndjson");
        response = this.client.upload(table, "", "users.json.gz", null,
                gzip("[{\"name\":\"Cy\",\"email\":\"cy@example.com\"}]"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("format")).isEqualTo("json");
        assertThat(this.tables.count(table)).isEqualTo(3);
        response = this.client.upload(table, "", "users.xlsx", "application/octet-stream", csv);
        assertThat(response.status()).isEqualTo(415);
        assertThat(this.tables.count(table)).isEqualTo(3);
    }

    @Test
    void dryRunReportsButLeavesNothing() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "dryRun=true", "text/csv",
                "name,email\nAnn,ann@example.com\nBob,bob@example.com\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.json().get("dryRun").asBoolean()).isTrue();
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void nonAtomicLoadCommitsChunksAndCountsThem() {
        String table = this.tables.users();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            ndjson.append("{\"name\":\"u").append(i).append("\",\"email\":\"u").append(i).append("@x\"}\n");
        }
        LoadClient.Response response = this.client.load(table, "atomic=false&batchSize=1000", "application/x-ndjson",
                ndjson.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("batches")).isEqualTo(3);
        assertThat(response.number("rowsInserted")).isEqualTo(2500);
        assertThat(response.json().get("atomic").asBoolean()).isFalse();
        assertThat(this.tables.count(table)).isEqualTo(2500);
    }

    @Test
    void reportHasEveryFieldOfTheContract() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n");
        assertThat(response.json().propertyNames()).containsExactly("id", "table", "format", "mode", "method", "atomic",
                "dryRun", "rowsReceived", "rowsInserted", "rowsUpdated", "rowsSkipped", "rowsRejected", "rejects",
                "rejectsTruncated", "batches", "bytesRead", "durationMs", "rowsPerSecond", "charset");
        assertThat(response.number("bytesRead")).isEqualTo("name,email\nAnn,ann@example.com\n".length());
        assertThat(response.number("batches")).isEqualTo(1);
        assertThat(response.header("Location")).isEqualTo("/api/v1/loads/" + response.text("id"));
        LoadClient.Response load = this.client.get(response.header("Location"));
        assertThat(load.status()).as(load.body()).isEqualTo(200);
        assertThat(load.text("status")).isEqualTo("succeeded");
        assertThat(load.number("rowsInserted")).isEqualTo(1);
        assertThat(load.number("bytesRead")).isEqualTo(response.number("bytesRead"));
    }

    private static Map<String, Object> row(String name, String status, Integer score) {
        java.util.LinkedHashMap<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("name", name);
        row.put("status", status);
        row.put("score", score);
        return row;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
