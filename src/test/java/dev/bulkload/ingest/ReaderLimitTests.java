package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * The JSON readers' limits over HTTP on PostgreSQL: every number a {@code numeric} holds loads exactly, and a value
 * over a limit (a longer number, deeper nesting, a longer string) fails the load with 413 naming it, or with
 * {@code onError=skip} is one reject while the rest loads, wherever the reader can read past it.
 * (The test context sets a 1 MB field limit and 16-deep JSON; numbers keep the default limit.)
 */
@BulkLoaderTest
class ReaderLimitTests {

    /** The longest numeric: 131,072 digits before the point, 16,383 after, and a sign. */
    private static final String LONGEST_NUMERIC = "-" + "9".repeat(131_072) + "." + "9".repeat(16_383);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("limits", "id int primary key, n numeric, doc jsonb, a text");
    }

    @AfterEach
    void dropTable() {
        this.jdbc.sql("drop table if exists " + this.table).update();
    }

    @Test
    void everyNumberANumericHoldsLoadsExactly() {
        String thousandDigits = "1" + "0".repeat(999);
        for (String format : List.of("json", "ndjson")) {
            this.jdbc.sql("truncate " + this.table).update();
            LoadClient.Response response = load(format, "", "{\"id\":1,\"n\":" + thousandDigits + "}",
                    "{\"id\":2,\"n\":" + LONGEST_NUMERIC + ",\"doc\":[" + LONGEST_NUMERIC + "]}");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(2);
            List<String> numbers = this.jdbc.sql("select n::text from " + this.table + " order by id")
                .query(String.class)
                .list();
            assertThat(numbers).containsExactly(thousandDigits, LONGEST_NUMERIC);
            assertThat(this.jdbc.sql("select (doc->>0)::numeric = n from " + this.table + " where id = 2")
                .query(Boolean.class)
                .single()).isTrue();
        }
    }

    /** Record 2 of 3 is over a limit; the readers read past it in both formats, raw and gzip. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({ "json, number, n", "ndjson, number, n", "json, nested number, doc", "ndjson, nested number, doc",
            "json, depth, doc", "ndjson, depth, doc", "json, nested bytes, doc", "ndjson, nested bytes, doc",
            "ndjson, string, ''" })
    void aValueOverALimitIsOneRejectWhenSkippingAnd413OtherwiseNamingIt(String format, String what, String column) {
        String tooLong = "1" + "0".repeat(LONGEST_NUMERIC.length());
        String spoiled = switch (what) {
            case "number" -> "{\"id\":2,\"n\":" + tooLong + ",\"a\":\"x\"}";
            case "nested number" -> "{\"id\":2,\"doc\":{\"k\":[" + tooLong + "]},\"a\":\"x\"}";
            case "depth" -> "{\"id\":2,\"doc\":" + "[".repeat(16) + "]".repeat(16) + ",\"a\":\"x\"}";
            // text that does not compress 200 times, or gzip would take it for a bomb
            case "nested bytes" -> "{\"id\":2,\"doc\":[\"" + letters(600_000) + "\",\"" + letters(600_000)
                    + "\"],\"a\":\"x\"}";
            default -> "{\"id\":2,\"a\":\"" + letters(1_100_000) + "\"}";
        };
        String expectedColumn = column.isEmpty() ? null : column;
        long line = format.equals("json") ? 3 : 2;
        for (boolean gzip : new boolean[] { false, true }) {
            this.jdbc.sql("truncate " + this.table).update();
            LoadClient.Response aborted = load(format, gzip ? "gzip" : "", "{\"id\":1,\"a\":\"one\"}", spoiled,
                    "{\"id\":3,\"a\":\"three\"}");
            assertThat(aborted.status()).as(aborted.body()).isEqualTo(413);
            JsonNode problem = aborted.json();
            assertThat(problem.path("type").asString()).isEqualTo("urn:bulkload:problem:payload-too-large");
            assertThat(problem.path("record").asLong()).isEqualTo(2);
            assertThat(problem.path("line").asLong()).isEqualTo(line);
            assertThat(text(problem, "column")).isEqualTo(expectedColumn);
            assertThat(rows()).isEmpty();

            LoadClient.Response skipped = load(format, "onError=skip" + (gzip ? "&gzip" : ""),
                    "{\"id\":1,\"a\":\"one\"}", spoiled, "{\"id\":3,\"a\":\"three\"}");
            assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
            JsonNode report = skipped.json();
            assertThat(report.path("rowsReceived").asLong()).isEqualTo(3);
            assertThat(report.path("rowsInserted").asLong()).isEqualTo(2);
            assertThat(report.path("rowsRejected").asLong()).isEqualTo(1);
            assertThat(report.path("rowsInserted").asLong() + report.path("rowsUpdated").asLong()
                    + report.path("rowsSkipped").asLong() + report.path("rowsRejected").asLong())
                .isEqualTo(report.path("rowsReceived").asLong());
            JsonNode reject = report.path("rejects").path(0);
            assertThat(reject.path("record").asLong()).isEqualTo(2);
            assertThat(reject.path("line").asLong()).isEqualTo(line);
            assertThat(text(reject, "column")).isEqualTo(expectedColumn);
            assertThat(text(reject, "sqlState")).isNull();
            assertThat(rows()).containsExactly("1|one", "3|three");
        }
    }

    @Test
    void aStringOverTheFieldLimitEndsAJsonArrayEvenWhenSkipping() {
        LoadClient.Response response = load("json", "onError=skip", "{\"id\":1,\"a\":\"one\"}",
                "{\"id\":2,\"a\":\"" + "z".repeat(1_100_000) + "\"}", "{\"id\":3,\"a\":\"three\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(413);
        assertThat(response.json().path("record").asLong()).isEqualTo(2);
        assertThat(rows()).isEmpty();
    }

    private LoadClient.Response load(String format, String options, String... records) {
        boolean gzip = options.contains("gzip");
        String query = options.replace("&gzip", "").replace("gzip", "");
        String body = format.equals("json") ? "[\n" + String.join(",\n", records) + "\n]"
                : String.join("\n", records) + "\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String contentType = format.equals("json") ? "application/json" : "application/x-ndjson";
        return gzip ? this.client.load(this.table, query, contentType, gzip(bytes), "Content-Encoding", "gzip")
                : this.client.load(this.table, query, contentType, bytes);
    }

    private List<String> rows() {
        return this.jdbc.sql("select concat_ws('|', id, a) from " + this.table + " order by id")
            .query(String.class)
            .list();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value == null || value.isNull()) ? null : value.asString();
    }

    private static String letters(int length) {
        Random random = new Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
