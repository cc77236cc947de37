package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Every reader refuses text PostgreSQL would not store exactly, alike: invalid UTF-8 in any form, NUL, and JSON
 * escapes of U+0000 or of half a surrogate pair, in values, keys and nested values, through raw, multipart and
 * gzip bodies. The record is refused whole (400 naming record, line and column, nothing stored), or with
 * {@code onError=skip} becomes one reject while the records around it, valid 4-byte characters and surrogate pairs
 * included, load exactly.
 */
@BulkLoaderTest
class InvalidTextTests {

    /** Record 1: a 4-byte character as bytes and as an escaped pair, and one in a nested value. */
    private static final String ROW_1 = "1|ok \uD83D\uDE00 \uD83D\uDE00|{\"k\": \"\uD83D\uDE00\"}";

    /** Record 3: two- to four-byte characters, the last one near the top of the range. */
    private static final String ROW_3 = "3|\u00e9\u20ac\uD800\uDF48\uDBFF\uDFFD|[\"\u20ac\"]";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("texts", "id int primary key, a text, doc jsonb");
    }

    @AfterEach
    void dropTable() {
        this.jdbc.sql("drop table if exists " + this.table).update();
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Format format : Format.values()) {
                if (format == Format.CSV && !kind.inCsv()) {
                    continue;
                }
                for (Transport transport : Transport.values()) {
                    for (String onError : List.of("abort", "skip")) {
                        cases.add(new Case(kind, format, transport, onError));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordTwoIsRefusedAloneAndTheOthersLoadExactly(Case c) {
        LoadClient.Response response = c.transport().send(this.client, this.table, "onError=" + c.onError(),
                c.format(), c.format().body(c.kind()));
        SoftAssertions softly = new SoftAssertions();
        JsonNode json = response.json();
        long line = c.format().lineOfRecordTwo();
        if (c.onError().equals("abort")) {
            softly.assertThat(response.status()).as(response.body()).isEqualTo(400);
            softly.assertThat(response.contentType()).startsWith("application/problem+json");
            softly.assertThat(json.path("type").asString()).isEqualTo("urn:bulkload:problem:malformed-payload");
            softly.assertThat(json.path("record").asLong()).isEqualTo(2);
            softly.assertThat(json.path("line").asLong()).isEqualTo(line);
            softly.assertThat(text(json, "column")).as("column").isEqualTo(c.kind().column);
            softly.assertThat(json.path("detail").asString()).contains(c.kind().detail)
                .doesNotContain("jackson", "Jackson", "Exception", "\tat ");
            softly.assertThat(rows()).as("table").isEmpty();
        }
        else {
            softly.assertThat(response.status()).as(response.body()).isEqualTo(200);
            softly.assertThat(json.path("rowsReceived").asLong()).isEqualTo(3);
            softly.assertThat(json.path("rowsInserted").asLong()).isEqualTo(2);
            softly.assertThat(json.path("rowsRejected").asLong()).isEqualTo(1);
            softly.assertThat(json.path("rowsInserted").asLong() + json.path("rowsUpdated").asLong()
                    + json.path("rowsSkipped").asLong() + json.path("rowsRejected").asLong())
                .as("received = inserted + updated + skipped + rejected")
                .isEqualTo(json.path("rowsReceived").asLong());
            JsonNode reject = json.path("rejects").path(0);
            softly.assertThat(reject.path("record").asLong()).isEqualTo(2);
            softly.assertThat(reject.path("line").asLong()).isEqualTo(line);
            softly.assertThat(text(reject, "column")).as("column").isEqualTo(c.kind().column);
            softly.assertThat(text(reject, "sqlState")).isNull();
            softly.assertThat(reject.path("message").asString()).contains(c.kind().detail);
            softly.assertThat(rows()).as("table").containsExactly(ROW_1, ROW_3);
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Format.class)
    void validTextLoadsExactlyInEveryFormat(Format format) {
        for (Transport transport : Transport.values()) {
            this.jdbc.sql("truncate " + this.table).update();
            LoadClient.Response response = transport.send(this.client, this.table, "", format, format.body(null));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(3);
            assertThat(rows()).containsExactly(ROW_1, "2|x y|{}", ROW_3);
        }
    }

    @Test
    void aRefusedByteBetweenJsonTokensEndsAnArrayButOnlyItsNdjsonLine() {
        byte[] overlong = HexFormat.of().parseHex("C0AF");
        byte[] array = join("[\n", Format.JSON.record(1, null), ",\n{\"id\":2,", overlong, "\"a\":\"x\"},\n",
                Format.JSON.record(3, null), "\n]");
        LoadClient.Response response = this.client.load(this.table, "onError=skip", "application/json", array);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode problem = response.json();
        assertThat(problem.path("record").asLong()).isEqualTo(2);
        assertThat(problem.path("line").asLong()).isEqualTo(3);
        assertThat(problem.path("detail").asString()).startsWith("Invalid UTF-8 byte sequence");
        assertThat(rows()).isEmpty();

        byte[] ndjson = join(Format.NDJSON.record(1, null), "\n{\"id\":2,", overlong, "\"a\":\"x\"}\n",
                Format.NDJSON.record(3, null), "\n");
        response = this.client.load(this.table, "onError=skip", "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode reject = response.json().path("rejects").path(0);
        assertThat(reject.path("record").asLong()).isEqualTo(2);
        assertThat(reject.path("message").asString()).startsWith("Invalid UTF-8 byte sequence");
        // the original line, its bad bytes shown as U+FFFD
        assertThat(reject.path("raw").asString()).isEqualTo("{\"id\":2,\uFFFD\uFFFD\"a\":\"x\"}");
        assertThat(rows()).containsExactly(ROW_1, ROW_3);
    }

    @Test
    void underARecordsPathARecordIsRefusedAloneAndTheWrappingNotAtAll() {
        byte[] overlong = HexFormat.of().parseHex("C0AF");
        byte[] wrapped = join("{\"meta\":{\"note\":\"fine \uD83D\uDE00\"},\"data\":[\n", Format.JSON.record(1, null),
                ",\n", Format.JSON.record(2, Kind.OVERLONG_SLASH), ",\n", Format.JSON.record(3, null), "\n]}");
        LoadClient.Response response = this.client.load(this.table, "onError=skip&recordsPath=/data",
                "application/json", wrapped);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("rejects").path(0).path("record").asLong()).isEqualTo(2);
        assertThat(response.json().path("rejects").path(0).path("column").asString()).isEqualTo("a");
        assertThat(rows()).containsExactly(ROW_1, ROW_3);

        this.jdbc.sql("truncate " + this.table).update();
        for (byte[] body : List.of(
                join("{\"meta\":\"x", overlong, "\",\"data\":[", Format.JSON.record(1, null), "]}"),
                join("{\"data\":[", Format.JSON.record(1, null), "],\"meta\":\"\\ud800\"}"))) {
            response = this.client.load(this.table, "onError=skip&recordsPath=/data", "application/json", body);
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("detail").asString()).endsWith("outside the records");
            assertThat(rows()).isEmpty();
        }
    }

    @Test
    void aCsvHeaderWithRefusedBytesFailsTheLoadEvenWhenSkipping() {
        byte[] csv = join("id,", HexFormat.of().parseHex("C1A1"), ",doc\n1,x,{}\n");
        LoadClient.Response response = this.client.load(this.table, "onError=skip", "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("line").asLong()).isEqualTo(1);
        assertThat(response.json().path("detail").asString()).contains("Invalid UTF-8 byte sequence (byte 0xC1)");
        assertThat(rows()).isEmpty();
    }

    /** Thousands of records across many reads, chunks and parser buffers: each bad one is refused, no other. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Format.class)
    void everySeventhRecordOfALargeBodyIsRefusedAlone(Format format) {
        Kind[] kinds = (format == Format.CSV) ? new Kind[] { Kind.OVERLONG_SLASH, Kind.SURROGATE_BYTES, Kind.NUL_BYTE,
            Kind.CUT_OFF_AT_END } : Kind.values();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(format.head());
        int records = 6_000;
        int refused = 0;
        for (int id = 1; id <= records; id++) {
            Kind kind = (id % 7 == 0) ? kinds[(id / 7) % kinds.length] : null;
            refused += (kind != null) ? 1 : 0;
            body.writeBytes(format.record(id, kind));
            body.writeBytes(format.separator(id == records));
        }
        body.writeBytes(format.tail());
        for (Transport transport : List.of(Transport.RAW, Transport.GZIP)) {
            this.jdbc.sql("truncate " + this.table).update();
            LoadClient.Response response = transport.send(this.client, this.table, "onError=skip&batchSize=500",
                    format, body.toByteArray());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode report = response.json();
            assertThat(report.path("rowsReceived").asLong()).isEqualTo(records);
            assertThat(report.path("rowsRejected").asLong()).isEqualTo(refused);
            assertThat(report.path("rowsInserted").asLong()).isEqualTo(records - refused);
            assertThat(report.path("rejects").valueStream().map((r) -> r.path("record").asLong()))
                .allMatch((record) -> record % 7 == 0);
            assertThat(this.jdbc.sql("select count(*) from " + this.table
                    + " where id % 7 = 0 or (a <> 'x y' and id not in (1, 3))").query(Long.class).single()).isZero();
            assertThat(this.jdbc.sql("select count(*) from " + this.table).query(Long.class).single())
                .isEqualTo(records - refused);
        }
    }

    private List<String> rows() {
        return this.jdbc.sql("select concat_ws('|', id, a, doc::text) from " + this.table + " order by id")
            .query(String.class)
            .list();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value == null || value.isNull()) ? null : value.asString();
    }

    private static byte[] join(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes((part instanceof byte[] b) ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** {@code <HEX>} in a spec are raw bytes, the rest UTF-8. */
    private static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            int open = spec.indexOf('<', i);
            int end = (open < 0) ? spec.length() : open;
            out.writeBytes(spec.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (open < 0) {
                break;
            }
            int close = spec.indexOf('>', open);
            out.writeBytes(HexFormat.of().parseHex(spec.substring(open + 1, close)));
            i = close + 1;
        }
        return out.toByteArray();
    }

    /** What is wrong with record 2: where it is, as the bytes or JSON text that hold it, and what the problem says. */
    enum Kind {

        OVERLONG_SLASH(Place.VALUE, "x<C0AF>y", "0xC0"),
        OVERLONG_A(Place.VALUE, "x<C1A1>y", "0xC1"),
        OVERLONG_NUL(Place.VALUE, "x<C080>y", "0xC0"),
        OVERLONG_THREE_BYTES(Place.VALUE, "x<E080AF>y", "0xE0"),
        OVERLONG_FOUR_BYTES(Place.VALUE, "x<F08080AF>y", "0xF0"),
        SURROGATE_BYTES(Place.VALUE, "x<EDA080>y", "0xED"),
        LAST_SURROGATE_BYTES(Place.VALUE, "x<EDBFBF>y", "0xED"),
        ABOVE_U10FFFF(Place.VALUE, "x<F4908080>y", "0xF4"),
        NEVER_VALID_F5(Place.VALUE, "x<F5>y", "0xF5"),
        NEVER_VALID_FF(Place.VALUE, "x<FF>y", "0xFF"),
        STRAY_CONTINUATION(Place.VALUE, "x<80>y", "0x80"),
        CUT_OFF(Place.VALUE, "x<E282>y", "0xE2"),
        CUT_OFF_AT_END(Place.VALUE, "x<F09F98>", "0xF0"),
        NUL_BYTE(Place.VALUE, "x<00>y", "NUL"),
        LONE_HIGH_ESCAPE(Place.JSON_VALUE, "a\\ud800b", "\\uD800"),
        LONE_LOW_ESCAPE(Place.JSON_VALUE, "\\udc00", "\\uDC00"),
        HIGH_AFTER_HIGH_ESCAPE(Place.JSON_VALUE, "\\ud800\\ud800\\udc00", "\\uD800"),
        HIGH_ESCAPE_AT_END(Place.JSON_VALUE, "x\\ud800", "\\uD800"),
        PAIR_REVERSED(Place.JSON_VALUE, "\\ude00\\ud83d", "\\uDE00"),
        NUL_ESCAPE(Place.JSON_VALUE, "a\\u0000b", "U+0000"),
        NESTED_LONE_LOW_ESCAPE(Place.NESTED, "{\"k\":\"\\udc00\"}", "\\uDC00"),
        NESTED_NUL_ESCAPE(Place.NESTED, "[\"\\u0000\"]", "U+0000"),
        NESTED_OVERLONG(Place.NESTED, "[\"x<C0AF>\"]", "0xC0"),
        NESTED_KEY_ESCAPE(Place.NESTED, "{\"\\ud800\":1}", "\\uD800"),
        KEY_OVERLONG(Place.KEY, "<C1A1>", "0xC1"),
        KEY_LONE_HIGH_ESCAPE(Place.KEY, "\\ud800", "\\uD800"),
        KEY_LONE_LOW_ESCAPE(Place.KEY, "a\\udc00", "\\uDC00"),
        KEY_NUL_ESCAPE(Place.KEY, "a\\u0000", "U+0000");

        final Place place;

        final String spec;

        final String detail;

        final String column;

        Kind(Place place, String spec, String detail) {
            this.place = place;
            this.spec = spec;
            this.detail = detail;
            this.column = switch (place) {
                case VALUE, JSON_VALUE -> "a";
                case NESTED -> "doc";
                case KEY -> null;
            };
        }

        boolean inCsv() {
            return this.place == Place.VALUE;
        }
    }

    /** Where a kind puts its text: a text value (any format), one only JSON can write, a jsonb value, a key. */
    enum Place {
        VALUE, JSON_VALUE, NESTED, KEY
    }

    /** The three payload formats, each with record 2 on a known line. */
    enum Format {

        CSV("text/csv", "rows.csv"),
        JSON("application/json", "rows.json"),
        NDJSON("application/x-ndjson", "rows.ndjson");

        final String contentType;

        final String fileName;

        Format(String contentType, String fileName) {
            this.contentType = contentType;
            this.fileName = fileName;
        }

        long lineOfRecordTwo() {
            return (this == NDJSON) ? 2 : 3;
        }

        byte[] head() {
            return switch (this) {
                case CSV -> bytes("id,a,doc\n");
                case JSON -> bytes("[\n");
                case NDJSON -> new byte[0];
            };
        }

        byte[] separator(boolean last) {
            return bytes((this == JSON && !last) ? ",\n" : "\n");
        }

        byte[] tail() {
            return bytes((this == JSON) ? "]" : "");
        }

        /** Three records, the second spoiled by the kind (or not, for null). */
        byte[] body(Kind kind) {
            return join(head(), record(1, null), separator(false), record(2, kind), separator(false), record(3, null),
                    separator(true), tail());
        }

        /** Record 1 and 3 as in ROW_1 and ROW_3, any other a plain "x y" with an empty object, or spoiled. */
        byte[] record(int id, Kind kind) {
            if (this == CSV) {
                return switch (id) {
                    case 1 -> bytes("1,ok \uD83D\uDE00 \uD83D\uDE00,\"{\"\"k\"\": \"\"\uD83D\uDE00\"\"}\"");
                    case 3 -> bytes("3,\u00e9\u20ac\uD800\uDF48\uDBFF\uDFFD,\"[\"\"\u20ac\"\"]\"");
                    default -> join(id + ",", (kind != null) ? bytes(kind.spec) : bytes("x y"), ",{}");
                };
            }
            return switch (id) {
                case 1 -> bytes("{\"id\":1,\"a\":\"ok \uD83D\uDE00 \\ud83d\\ude00\","
                        + "\"doc\":{\"k\":\"\\ud83d\\ude00\"}}");
                case 3 -> bytes("{\"id\":3,\"a\":\"\u00e9\u20ac\\ud800\\udf48\uDBFF\uDFFD\",\"doc\":[\"\\u20ac\"]}");
                default -> {
                    if (kind == null) {
                        yield bytes("{\"id\":" + id + ",\"a\":\"x y\",\"doc\":{}}");
                    }
                    yield switch (kind.place) {
                        case VALUE, JSON_VALUE -> join("{\"id\":" + id + ",\"a\":\"", bytes(kind.spec),
                                "\",\"doc\":{}}");
                        case NESTED -> join("{\"id\":" + id + ",\"a\":\"x y\",\"doc\":", bytes(kind.spec), "}");
                        case KEY -> join("{\"id\":" + id + ",\"", bytes(kind.spec), "\":\"x y\",\"doc\":{}}");
                    };
                }
            };
        }
    }

    /** How the body travels. */
    enum Transport {

        RAW, MULTIPART, GZIP;

        LoadClient.Response send(LoadClient client, String table, String query, Format format, byte[] body) {
            return switch (this) {
                case RAW -> client.load(table, query, format.contentType, body);
                case MULTIPART -> client.upload(table, query, format.fileName, format.contentType, body);
                case GZIP -> client.load(table, query, format.contentType, gzip(body), "Content-Encoding", "gzip");
            };
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

    /**
     * One load.
     * @param kind what is wrong with record 2
     * @param format the payload format
     * @param transport how the body travels
     * @param onError abort or skip
     */
    record Case(Kind kind, Format format, Transport transport, String onError) {

        @Override
        public String toString() {
            return this.kind + " " + this.format + " " + this.transport + " " + this.onError;
        }
    }
}
