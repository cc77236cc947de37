package dev.bulkload.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * Payloads in other charsets, end to end over HTTP into PostgreSQL: the values stored exactly, for CSV, NDJSON and
 * JSON, raw and uploaded, gzip or not; an unknown charset a 415, disagreeing ones a 400, bytes invalid in the
 * charset a 400 naming the record and line of the original text.
 */
@BulkLoaderTest
class CharsetLoadTests {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Every character windows-1252 defines in 0x80 to 0x9F: the € and the curly quotes among them. */
    private static final String WINDOWS_1252_C1 = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

    private static final String LATIN1_UPPER = " ¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß"
            + "àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ";

    private static final String BOUNDARY = "----charset-test-boundary";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.table = this.tables.create("charset", "id int primary key, name text not null");
    }

    /** The formats, each with its Content-Type and a file name for uploads. */
    enum Format {

        CSV("text/csv", "rows.csv"), NDJSON("application/x-ndjson", "rows.ndjson"), JSON("application/json",
                "rows.json");

        final String contentType;

        final String filename;

        Format(String contentType, String filename) {
            this.contentType = contentType;
            this.filename = filename;
        }

        /** The rows {@code 1..n} with these names, as this format writes them. */
        String write(List<String> names) {
            StringBuilder text = new StringBuilder((this == CSV) ? "id,name\n" : (this == JSON) ? "[\n" : "");
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                text.append(switch (this) {
                    case CSV -> (i + 1) + ",\"" + name.replace("\"", "\"\"") + "\"\n";
                    case NDJSON -> "{\"id\":" + (i + 1) + ",\"name\":\"" + name + "\"}\n";
                    case JSON -> ((i > 0) ? ",\n" : "") + "{\"id\":" + (i + 1) + ",\"name\":\"" + name + "\"}";
                });
            }
            return (this == JSON) ? text.append("\n]\n").toString() : text.toString();
        }
    }

    /**
     * A charset as sent: its name in the request, how Java writes it, the byte-order mark put before it (if any),
     * and names it can hold.
     */
    record Sent(String name, Charset charset, String bom, List<String> names) {

        byte[] encode(String text) {
            byte[] body = text.getBytes(this.charset);
            byte[] mark = HexFormat.of().parseHex(this.bom);
            byte[] all = new byte[mark.length + body.length];
            System.arraycopy(mark, 0, all, 0, mark.length);
            System.arraycopy(body, 0, all, mark.length, body.length);
            return all;
        }

        @Override
        public String toString() {
            return this.name + (this.bom.isEmpty() ? "" : " with a byte-order mark");
        }
    }

    static Stream<Sent> charsets() {
        List<String> western = List.of("€ ß", WINDOWS_1252_C1, "Grüße aus Köln, 10 € das Stück", LATIN1_UPPER);
        List<String> latin = List.of("Grüße, café, señor", LATIN1_UPPER, "ÿ þ ð");
        List<String> unicode = List.of("€ ß", "José 😀 名前", WINDOWS_1252_C1 + LATIN1_UPPER, "Привет, мир");
        return Stream.of(new Sent("windows-1252", WINDOWS_1252, "", western),
                new Sent("ISO-8859-1", StandardCharsets.ISO_8859_1, "", latin),
                new Sent("latin1", StandardCharsets.ISO_8859_1, "", latin),
                new Sent("cp1252", WINDOWS_1252, "", western),
                new Sent("UTF-16LE", StandardCharsets.UTF_16LE, "", unicode),
                new Sent("utf-16le", StandardCharsets.UTF_16LE, "fffe", unicode),
                new Sent("UTF-16BE", StandardCharsets.UTF_16BE, "", unicode),
                new Sent("utf-16be", StandardCharsets.UTF_16BE, "feff", unicode),
                new Sent("utf-16", StandardCharsets.UTF_16LE, "fffe", unicode),
                new Sent("utf-16", StandardCharsets.UTF_16BE, "feff", unicode),
                new Sent("utf-16", StandardCharsets.UTF_16BE, "", unicode),
                new Sent("utf-8", StandardCharsets.UTF_8, "efbbbf", unicode),
                new Sent("utf8", StandardCharsets.UTF_8, "", unicode));
    }

    static Stream<Arguments> charsetsAndFormats() {
        return charsets().flatMap((sent) -> Stream.of(Format.values()).map((format) -> Arguments.of(sent, format)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("charsetsAndFormats")
    void aRawBodyInTheCharsetOfItsContentTypeIsStoredExactly(Sent sent, Format format) {
        byte[] body = sent.encode(format.write(sent.names()));
        LoadClient.Response response = this.client.load(this.table, "", format.contentType + "; charset=" + sent.name(),
                body);
        assertLoaded(response, sent, body.length);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("charsetsAndFormats")
    void anUploadWithTheCharsetInItsPartContentTypeIsStoredExactly(Sent sent, Format format) {
        byte[] content = sent.encode(format.write(sent.names()));
        byte[] body = multipart(null, format.filename, format.contentType + "; charset=\"" + sent.name() + "\"",
                content);
        LoadClient.Response response = this.client.load(this.table, "", multipartType(), body);
        // bytesRead: the file part's bytes as received
        assertLoaded(response, sent, content.length);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("charsetsAndFormats")
    void anUploadWithTheCharsetAsAFormFieldIsStoredExactly(Sent sent, Format format) {
        byte[] content = sent.encode(format.write(sent.names()));
        byte[] body = multipart(sent.name(), format.filename, null, content);
        LoadClient.Response response = this.client.load(this.table, "", multipartType(), body);
        assertLoaded(response, sent, content.length);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("charsetsAndFormats")
    void anUploadWithTheCharsetAsAQueryParameterIsStoredExactly(Sent sent, Format format) {
        LoadClient.Response response = this.client.upload(this.table, "charset=" + sent.name(), format.filename,
                format.contentType, sent.encode(format.write(sent.names())));
        assertLoaded(response, sent, -1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("charsetsAndFormats")
    void aGzipBodyIsDecompressedThenDecoded(Sent sent, Format format) {
        byte[] body = gzip(sent.encode(format.write(sent.names())));
        LoadClient.Response response = this.client.load(this.table, "charset=" + sent.name(), format.contentType,
                body, "Content-Encoding", "gzip");
        // bytesRead: the body as received, compressed
        assertLoaded(response, sent, body.length);
    }

    @Test
    void aGzipUploadIsDecompressedThenDecoded() {
        Sent sent = new Sent("windows-1252", WINDOWS_1252, "", List.of("€ ß", WINDOWS_1252_C1));
        byte[] compressed = gzip(sent.encode(Format.CSV.write(sent.names())));
        byte[] body = multipart("cp1252", "rows.csv.gz", "application/gzip", compressed);
        assertLoaded(this.client.load(this.table, "", multipartType(), body), sent, compressed.length);
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedWithoutACharsetToo() {
        Sent sent = new Sent("utf-8", StandardCharsets.UTF_8, "efbbbf", List.of("é", "€"));
        for (Format format : Format.values()) {
            this.jdbc.sql("truncate " + this.table).update();
            LoadClient.Response response = this.client.load(this.table, "", format.contentType,
                    sent.encode(format.write(sent.names())));
            assertThat(response.status()).as(format + ": " + response.body()).isEqualTo(200);
            assertThat(names()).as(format.toString()).containsExactlyElementsOf(sent.names());
            // UTF-8 is the default: not among the options the load used
            assertThat(response.json().path("options").has("charset")).isFalse();
        }
    }

    @Test
    void theCharsetIsInTheRegistryRow() {
        LoadClient.Response report = this.client.load(this.table, "", "text/csv; charset=ISO-8859-1",
                "id,name\n1,Grüße\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        LoadClient.Response load = this.client.get("/api/v1/loads/" + report.text("id"));
        assertThat(load.json().get("options").get("charset").asString()).isEqualTo("iso-8859-1");
        LoadClient.Response plain = this.client.load(this.table, "", "text/csv", "id,name\n2,Grüße\n");
        assertThat(this.client.get("/api/v1/loads/" + plain.text("id")).json().get("options").has("charset"))
            .isFalse();
        assertThat(names()).containsExactly("Grüße", "Grüße");
    }

    @Test
    void anUnknownCharsetInTheContentTypeIs415NamingItAndTheSupportedOnes() {
        for (String name : List.of("no-such-charset", "Shift_JIS", "\"ebcdic\"", "")) {
            LoadClient.Response response = this.client.load(this.table, "", "text/csv; charset=" + name,
                    "id,name\n1,a\n");
            JsonNode problem = assertProblem(response, 415, "unsupported-media-type");
            assertThat(problem.get("detail").asString()).as(name)
                .contains("charset '" + name.replace("\"", "") + "'")
                .contains("utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1");
            assertThat(problem.get("supportedCharsets").values().stream().map(JsonNode::asString).toList())
                .contains("utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1");
        }
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void anUnknownCharsetAsParameterFormFieldOrPartContentTypeIs415() {
        List<LoadClient.Response> responses = List.of(
                this.client.load(this.table, "charset=klingon", "text/csv", "id,name\n1,a\n"),
                this.client.upload(this.table, "charset=klingon", "rows.csv", "text/csv", "id,name\n1,a\n".getBytes()),
                this.client.load(this.table, "", multipartType(),
                        multipart("klingon", "rows.csv", null, "id,name\n1,a\n".getBytes())),
                this.client.upload(this.table, "", "rows.csv", "text/csv; charset=klingon",
                        "id,name\n1,a\n".getBytes()));
        for (LoadClient.Response response : responses) {
            JsonNode problem = assertProblem(response, 415, "unsupported-media-type");
            assertThat(problem.get("detail").asString()).contains("'klingon'").contains("windows-1252");
        }
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void aCharsetParameterThatDisagreesWithTheContentTypeIs400NamingBoth() {
        JsonNode problem = assertProblem(this.client.load(this.table, "charset=latin1",
                "text/csv; charset=windows-1252", "id,name\n1,a\n"), 400, "invalid-parameter");
        assertThat(problem.get("parameter").asString()).isEqualTo("charset");
        assertThat(problem.get("detail").asString()).contains("iso-8859-1").contains("windows-1252");

        problem = assertProblem(this.client.load(this.table, "", multipartType(),
                multipart("utf-16le", "rows.csv", "text/csv; charset=utf-8", "id,name\n1,a\n".getBytes())), 400,
                "invalid-parameter");
        assertThat(problem.get("detail").asString()).contains("form field").contains("utf-16le").contains("utf-8");

        // in the query and as a form field: a parameter given twice
        problem = assertProblem(this.client.load(this.table, "charset=cp1252", multipartType(),
                multipart("latin1", "rows.csv", null, "id,name\n1,a\n".getBytes())), 400, "invalid-parameter");
        assertThat(problem.get("parameter").asString()).isEqualTo("charset");
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void aCharsetParameterThatAgreesWithTheContentTypeUnderAnotherNameLoads() {
        LoadClient.Response response = this.client.load(this.table, "charset=CP1252",
                "text/csv; charset=windows-1252", "id,name\n1,€\n".getBytes(WINDOWS_1252));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(names()).containsExactly("€");
    }

    @Test
    void aWindows1252UndefinedByteIs400NamingTheRecordAndLineOfTheOriginalText() {
        for (int undefined : new int[] { 0x81, 0x8D, 0x8F, 0x90, 0x9D }) {
            // record 2 spans lines 3 and 4: the bad byte is in record 3 on line 5
            byte[] body = concat("id,name\n1,€\n2,\"two\nlines ß\"\n3,bad".getBytes(WINDOWS_1252),
                    new byte[] { (byte) undefined }, "\n4,ok\n".getBytes(WINDOWS_1252));
            JsonNode problem = assertProblem(
                    this.client.load(this.table, "", "text/csv; charset=windows-1252", body), 400,
                    "malformed-payload");
            assertThat(problem.get("record").asLong()).isEqualTo(3);
            assertThat(problem.get("line").asLong()).isEqualTo(5);
            assertThat(problem.get("column").asString()).isEqualTo("name");
        }
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void withSkipAnInvalidRecordIsARejectWhoseRawTextShowsTheDecodedCharacters() {
        byte[] csv = concat("id,name\n1,€ ß\n2,\"Grüße ".getBytes(WINDOWS_1252), new byte[] { (byte) 0x81 },
                "\"\n3,“ok”\n".getBytes(WINDOWS_1252));
        LoadClient.Response response = this.client.load(this.table, "onError=skip", "text/csv; charset=cp1252", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        JsonNode reject = response.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("line").asLong()).isEqualTo(3);
        assertThat(reject.get("raw").asString()).isEqualTo("2,\"Grüße \uFFFD\"\n");
        assertThat(names()).containsExactly("€ ß", "“ok”");

        this.jdbc.sql("truncate " + this.table).update();
        byte[] ndjson = concat("{\"id\":1,\"name\":\"Grüße\"}\n\n{\"id\":2,\"name\":\"x".getBytes(WINDOWS_1252),
                new byte[] { (byte) 0x9D }, "\"}\n{\"id\":3,\"name\":\"€\"}\n".getBytes(WINDOWS_1252));
        response = this.client.load(this.table, "onError=skip&charset=windows-1252", "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        reject = response.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("line").asLong()).isEqualTo(3);
        assertThat(reject.get("raw").asString()).isEqualTo("{\"id\":2,\"name\":\"x\uFFFD\"}");
        assertThat(names()).containsExactly("Grüße", "€");
    }

    @Test
    void aJsonArrayWithAnInvalidByteIs400NamingTheRecordAndLine() {
        byte[] json = concat("[\n{\"id\":1,\"name\":\"€\"},\n{\"id\":2,\n\"name\":\"".getBytes(WINDOWS_1252),
                new byte[] { (byte) 0x8F }, "\"}]".getBytes(WINDOWS_1252));
        JsonNode problem = assertProblem(this.client.load(this.table, "", "application/json; charset=windows-1252",
                json), 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        // the line the record starts on, as for every refused record (the byte is on the next one)
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(problem.get("column").asString()).isEqualTo("name");
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void utf16UnpairedSurrogatesAndAnOddByteCountAre400NamingTheRecordAndLine() {
        byte[] lone = concat("id,name\n1,a\n2,b".getBytes(StandardCharsets.UTF_16LE), HexFormat.of().parseHex("3dd8"),
                "\n3,c\n".getBytes(StandardCharsets.UTF_16LE));
        JsonNode problem = assertProblem(this.client.load(this.table, "", "text/csv; charset=utf-16le", lone), 400,
                "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);

        byte[] lowFirst = concat("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"".getBytes(StandardCharsets.UTF_16BE),
                HexFormat.of().parseHex("de00"), "\"}\n".getBytes(StandardCharsets.UTF_16BE));
        problem = assertProblem(this.client.load(this.table, "", "application/x-ndjson; charset=utf-16be", lowFirst),
                400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(2);

        byte[] odd = concat("id,name\n1,a\n2,b".getBytes(StandardCharsets.UTF_16LE), new byte[] { 'c' });
        problem = assertProblem(this.client.load(this.table, "", "text/csv; charset=utf-16le", odd), 400,
                "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void aNulDecodedFromAnotherCharsetIsRefusedAsAUtf8NulIs() {
        for (Format format : Format.values()) {
            String text = format.write(List.of("a", "b\u0000c", "d"));
            LoadClient.Response utf8 = this.client.load(this.table, "", format.contentType,
                    text.getBytes(StandardCharsets.UTF_8));
            List<LoadClient.Response> others = List.of(
                    this.client.load(this.table, "", format.contentType + "; charset=utf-16le",
                            text.getBytes(StandardCharsets.UTF_16LE)),
                    this.client.load(this.table, "charset=windows-1252", format.contentType,
                            text.getBytes(WINDOWS_1252)));
            // no PostgreSQL value holds a NUL: every reader refuses it before the database sees it
            assertThat(utf8.status()).as(utf8.body()).isEqualTo(400);
            assertThat(utf8.json().get("record").asLong()).isEqualTo(2);
            assertThat(utf8.text("column")).isEqualTo("name");
            assertThat(utf8.text("sqlState")).isNull();
            for (LoadClient.Response other : others) {
                assertThat(other.status()).as(format + ": " + other.body()).isEqualTo(utf8.status());
                JsonNode expected = utf8.json();
                JsonNode actual = other.json();
                for (String field : List.of("type", "detail", "record", "line", "column", "sqlState")) {
                    assertThat(actual.get(field)).as(format + " " + field).isEqualTo(expected.get(field));
                }
            }
        }
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void aNulEscapeInJsonIsRefusedNamingItsRecordAndColumn() {
        String ndjson = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\\u0000c\"}\n";
        for (String charset : List.of("utf-8", "utf-16be", "windows-1252")) {
            Charset encoding = charset.equals("utf-16be") ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII;
            LoadClient.Response response = this.client.load(this.table, "charset=" + charset, "application/x-ndjson",
                    ndjson.getBytes(encoding));
            JsonNode problem = assertProblem(response, 400, "malformed-payload");
            assertThat(problem.get("record").asLong()).isEqualTo(2);
            assertThat(problem.get("line").asLong()).isEqualTo(2);
            assertThat(problem.get("column").asString()).isEqualTo("name");
            assertThat(problem.get("detail").asString()).contains("U+0000");
        }
        assertThat(this.tables.count(this.table)).isZero();
    }

    @Test
    void aDeclaredUtf16BodyWithAByteOrderMarkLoads() {
        // what the defect looked like from outside: a UTF-16 body declared as such was a 415
        LoadClient.Response response = this.client.load(this.table, "", "text/csv; charset=UTF-16",
                "id,name\n1,José\n".getBytes(StandardCharsets.UTF_16));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(names()).containsExactly("José");
    }

    @Test
    void aRetryWithTheSameKeyMustNameTheSameCharset() {
        byte[] body = "id,name\n1,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        String key = "charset-" + this.table;
        LoadClient.Response first = this.client.load(this.table, "", "text/csv; charset=latin1", body,
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        LoadClient.Response other = this.client.load(this.table, "charset=windows-1252", "text/csv", body,
                "Idempotency-Key", key);
        assertProblem(other, 422, "idempotency-key-reused");
        LoadClient.Response again = this.client.load(this.table, "charset=ISO-8859-1", "text/csv", body,
                "Idempotency-Key", key);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(names()).containsExactly("é");
    }

    @Test
    void theOpenApiDocumentDescribesTheCharsetParameter() {
        JsonNode parameters = this.client.get("/v3/api-docs").json().get("paths").get("/api/v1/tables/{table}/rows")
            .get("post").get("parameters");
        JsonNode charset = parameters.values().stream()
            .filter((parameter) -> parameter.get("name").asString().equals("charset"))
            .findFirst()
            .orElseThrow();
        assertThat(charset.get("in").asString()).isEqualTo("query");
        assertThat(charset.get("description").asString()).contains("windows-1252", "form field", "400", "415");
        assertThat(charset.get("schema").has("default")).as("no default Swagger UI would send").isFalse();
        assertThat(charset.get("schema").get("enum").values().stream().map(JsonNode::asString).toList())
            .containsExactlyElementsOf(PayloadCharset.supported());
    }

    private void assertLoaded(LoadClient.Response response, Sent sent, long bytesRead) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(sent.names().size());
        PayloadCharset charset = PayloadCharset.named(sent.name());
        JsonNode used = response.json().path("options").path("charset");
        if (charset == PayloadCharset.UTF_8) {
            assertThat(used.isMissingNode()).as(response.body()).isTrue();
        }
        else {
            assertThat(used.asString()).isEqualTo(charset.label());
        }
        if (bytesRead >= 0) {
            assertThat(response.number("bytesRead")).isEqualTo(bytesRead);
        }
        assertThat(names()).containsExactlyElementsOf(sent.names());
    }

    private List<String> names() {
        return this.jdbc.sql("select name from " + this.table + " order by id").query(String.class).list();
    }

    private static JsonNode assertProblem(LoadClient.Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:" + type);
        return problem;
    }

    private static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** A form: the field {@code charset} first when given, then the file part. */
    private static byte[] multipart(String charsetField, String filename, String partContentType, byte[] content) {
        List<byte[]> parts = new ArrayList<>();
        if (charsetField != null) {
            parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"charset\"\r\n\r\n" + charsetField
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\n" + ((partContentType != null) ? "Content-Type: " + partContentType + "\r\n" : "") + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
        parts.add(content);
        parts.add(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return concat(parts.toArray(byte[][]::new));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(content);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return compressed.toByteArray();
    }
}
