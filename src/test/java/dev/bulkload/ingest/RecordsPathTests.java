package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * recordsPath: the array of records inside a wrapping object (another API's answer), streamed like a top-level
 * array, over real HTTP into a real PostgreSQL.
 */
@BulkLoaderTest
class RecordsPathTests {

    private static final String ANN = "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}";

    private static final String BOB = "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String users;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.users = this.tables.users();
    }

    @Test
    void anotherApisAnswerLoadsItsDataMember() {
        String page = "{\"page\":1,\"data\":[" + ANN + "," + BOB + "],\"next\":\"b64:Mg==\"}";
        LoadClient.Response response = load("recordsPath=/data", page);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isEqualTo(2);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.json().get("options").get("recordsPath").asString()).isEqualTo("/data");
        assertThat(emails()).containsExactly("ann@example.com", "bob@example.com");
    }

    @Test
    void withoutRecordsPathAWrappingObjectIsRefusedWithAHint() {
        LoadClient.Response response = load("", "{\"page\":1,\"data\":[" + ANN + "]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("detail")).startsWith("Expected a JSON array of objects").contains("recordsPath");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void aNestedArrayIsReachedThroughItsParents() {
        String body = "{\"status\":\"ok\",\"result\":{\"count\":2,\"items\":[" + ANN + "," + BOB
                + "],\"more\":false},\"took\":12}";
        LoadClient.Response response = load("recordsPath=/result/items", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly("ann@example.com", "bob@example.com");
    }

    @Test
    void escapedMemberNamesAreUnescaped() {
        // ~1 is "/" and ~0 is "~" in a member name (RFC 6901); "a~1b" the member is not "a/b"
        String body = "{\"a~1b\":{\"m~0n\":[" + BOB + "]},\"a/b\":{\"m~n\":[" + ANN + "],\"x\":1}}";
        LoadClient.Response response = load("recordsPath=/a~1b/m~0n", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly("ann@example.com");
        // percent-encoded in the query, the same pointer
        String other = this.tables.users();
        assertThat(this.client.load(other, "recordsPath=%2Fa~1b%2Fm~0n", "application/json", body).status())
            .isEqualTo(200);
        assertThat(this.jdbc.sql("select email from " + other).query(String.class).list())
            .containsExactly("ann@example.com");
    }

    @Test
    void anEmptyMemberNameIsAPointerToo() {
        LoadClient.Response response = load("recordsPath=/", "{\"x\":[],\"\":[" + ANN + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly("ann@example.com");
    }

    @ParameterizedTest
    @CsvSource({ "/pages/0/rows, ann@example.com", "/pages/1/rows, bob@example.com" })
    void arrayIndexesPickOneElement(String pointer, String email) {
        String body = "{\"pages\":[{\"rows\":[" + ANN + "]},{\"rows\":[" + BOB + "]},{\"rows\":[5]}]}";
        LoadClient.Response response = load("recordsPath=" + pointer, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly(email);
    }

    @Test
    void aTopLevelArrayCanBeWalkedByIndexToo() {
        LoadClient.Response response = load("recordsPath=/1/data", "[{\"data\":[5]},{\"data\":[" + BOB + "]}]");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly("bob@example.com");
    }

    /**
     * Members before and after the records, of every JSON type, deep and big (a 3 MB string, three times a field's
     * limit, and 20,000 nested objects): skipped as they stream by, and none is taken for the records, not even a
     * member of the same name deeper down.
     */
    @Test
    void membersBeforeAndAfterOfEveryTypeAreSkipped() {
        String big = "x".repeat(3 * 1024 * 1024);
        StringBuilder nested = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            nested.append((i > 0) ? "," : "").append("{\"data\":[{\"name\":\"decoy\",\"email\":\"d").append(i)
                .append("\"}],\"n\":").append(i).append(",\"deep\":{\"a\":{\"b\":[1,[2,[3]]]}}}");
        }
        nested.append("]");
        String values = "\"s\":\"text with \\\"escapes\\\" \\u00e9 and ] } [ {\",\"i\":-42,\"f\":6.02e23,"
                + "\"t\":true,\"fa\":false,\"nu\":null,\"eo\":{},\"ea\":[],\"big\":\"" + big + "\",\"nested\":" + nested
                + ",\"dat\":[{\"name\":\"no\",\"email\":\"no\"}],\"meta\":{\"data\":[{\"name\":\"no\",\"email\":\"no\"}]}";
        String body = "{" + values + ",\n\"data\":[" + ANN + ",\n" + BOB + "],\n" + values.replace("\"s\"", "\"s2\"")
                + "}";
        LoadClient.Response response = load("recordsPath=/data", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(emails()).containsExactly("ann@example.com", "bob@example.com");
    }

    @Test
    void recordNumbersAndLinesCountInTheWholeBody() {
        String body = """
                {
                  "page": 1,
                  "meta": {"a": [1,
                                 2]},
                  "data": [
                    {"name": "Ann", "email": "ann@example.com"},
                    {"name": "Bob"},
                    5,
                    {"name": "Cy",
                     "email": "cy@example.com"}
                  ],
                  "next": null
                }
                """;
        LoadClient.Response response = load("recordsPath=/data&mode=insert&onError=skip", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isEqualTo(4);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.json().get("rejects").get(0).get("record").asLong()).isEqualTo(2);
        assertThat(response.json().get("rejects").get(0).get("line").asLong()).isEqualTo(7);
        assertThat(response.json().get("rejects").get(0).get("column").asString()).isEqualTo("email");
        assertThat(response.json().get("rejects").get(1).get("record").asLong()).isEqualTo(3);
        assertThat(response.json().get("rejects").get(1).get("line").asLong()).isEqualTo(8);

        LoadClient.Response aborted = this.client.load(this.tables.users(), "recordsPath=/data", "application/json",
                body.replace("{\"name\": \"Bob\"},\n", ""));
        assertThat(aborted.status()).isEqualTo(400);
        assertThat(aborted.number("record")).isEqualTo(2);
        assertThat(aborted.number("line")).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/data|{\"page\":1,\"items\":[]}|Nothing at recordsPath /data: the top-level value has no member \"data\"",
            "/data|[{\"data\":[]}]|Nothing at recordsPath /data: the top-level value is an array, and \"data\" is not an array index",
            "/data|\"text\"|Nothing at recordsPath /data: the top-level value is a string, not an object or an array",
            "/a/b|{\"a\":{\"c\":[]}}|Nothing at recordsPath /a/b: /a has no member \"b\"",
            "/a/b|{\"a\":7}|Nothing at recordsPath /a/b: /a is a number, not an object or an array",
            "/a/2|{\"a\":[[],[]]}|Nothing at recordsPath /a/2: /a has 2 elements, no index 2",
            "/a/-|{\"a\":[[]]}|Nothing at recordsPath /a/-: /a is an array, and \"-\" is not an array index",
            "/a/01|{\"a\":[[],[]]}|Nothing at recordsPath /a/01: /a is an array, and \"01\" is not an array index",
            "/data|{\"data\":{\"rows\":[]}}|recordsPath /data points to an object, not an array of records",
            "/data|{\"data\":\"[]\"}|recordsPath /data points to a string, not an array of records",
            "/data|{\"data\":null}|recordsPath /data points to null, not an array of records",
            "/data|{\"data\":[],\"data\":[]}|recordsPath /data: the top-level value has the member \"data\" more than once",
            "/a/b|{\"a\":{\"b\":[]},\"a\":1}|recordsPath /a/b: the top-level value has the member \"a\" more than once" })
    void nothingOrNoArrayAtThePointerIsA400NamingIt(String pointer, String body, String detail) {
        LoadClient.Response response = load("recordsPath=" + pointer, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:malformed-payload");
        assertThat(response.text("detail")).isEqualTo(detail);
    }

    @Test
    void aFailureAfterTheRecordsLeavesNothingWhenAtomic() {
        LoadClient.Response duplicate = load("recordsPath=/data", "{\"data\":[" + ANN + "],\"data\":[" + BOB + "]}");
        assertThat(duplicate.status()).isEqualTo(400);
        LoadClient.Response trailing = load("recordsPath=/data", "{\"data\":[" + ANN + "]} {\"more\":1}");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.text("detail")).isEqualTo("Unexpected content after the JSON value that holds the records");
        LoadClient.Response cut = load("recordsPath=/data", "{\"data\":[" + ANN + "," + BOB + "],\"next\":");
        assertThat(cut.status()).isEqualTo(400);
        assertThat(this.tables.count(this.users)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "data", "/a~2b", "/a~", "~0" })
    void aPointerThatIsNoJsonPointerIsAnInvalidParameter(String pointer) {
        LoadClient.Response response = load("recordsPath=" + pointer, "{\"data\":[" + ANN + "]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(response.text("parameter")).isEqualTo("recordsPath");
    }

    @Test
    void anEmptyPointerIsTheWholeDocument() {
        LoadClient.Response response = load("recordsPath=", "[" + ANN + "]");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().has("options")).isFalse();
    }

    @Test
    void recordsNestAsDeepInsideTheWrappingAsAtTheTop() {
        String table = this.tables.create("deep", "id int, doc jsonb");
        // 16 levels counted from the record (level 1), in a top-level array or inside a wrapping: 15 of value
        String value = "[".repeat(15) + "]".repeat(15);
        String plain = "[{\"id\":1,\"doc\":" + value + "}]";
        assertThat(this.client.load(table, "", "application/json", plain).status()).isEqualTo(200);
        String wrapped = "{\"a\":{\"b\":" + plain + "}}";
        LoadClient.Response response = this.client.load(table, "recordsPath=/a/b", "application/json", wrapped);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String deeper = "[{\"id\":1,\"doc\":[" + value + "]}]";
        assertThat(this.client.load(table, "recordsPath=/a/b", "application/json", "{\"a\":{\"b\":" + deeper + "}}")
            .status()).isEqualTo(413);
    }

    @Test
    void anUploadedWrappedFileLoadsToo() {
        byte[] file = ("{\"data\":[" + ANN + "]}").getBytes(StandardCharsets.UTF_8);
        LoadClient.Response response = this.client.upload(this.users, "recordsPath=/data", "page.json", null, file);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(emails()).containsExactly("ann@example.com");
    }

    /**
     * 300,000 records inside a wrapping object, gzipped, generated and compressed as they are sent: never held
     * whole on either side.
     */
    @Test
    void aLargeGzippedWrappedBodyStreams() {
        int records = 300_000;
        LoadClient.Response response = this.client.loadStream(this.users, "recordsPath=/result/data",
                "application/json", () -> new Gzipped(wrappedRecords(records)), "Content-Encoding", "gzip");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isEqualTo(records);
        assertThat(response.number("rowsInserted")).isEqualTo(records);
        assertThat(this.tables.count(this.users)).isEqualTo(records);
        List<Map<String, Object>> some = this.jdbc
            .sql("select name, email from " + this.users + " where email in ('u1@example.com', 'u150000@example.com', "
                    + "'u300000@example.com') order by id")
            .query()
            .listOfRows();
        assertThat(some).extracting((row) -> row.get("name"))
            .containsExactly("User 1 \u00e9", "User 150000 \u00e9", "User 300000 \u00e9");
    }

    /** {"page":…,"meta":{…},"result":{"count":N,"data":[records]},"next":…}, made as it is read. */
    private static InputStream wrappedRecords(int records) {
        int perPiece = 1000;
        int pieces = records / perPiece;
        Enumeration<InputStream> parts = new Enumeration<>() {

            int piece = -1;

            @Override
            public boolean hasMoreElements() {
                return this.piece <= pieces;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder text = new StringBuilder();
                if (this.piece == -1) {
                    text.append("{\"page\":1,\"meta\":{\"tags\":[\"a\",{\"b\":[1,2,{\"c\":null}]}],\"note\":\"")
                        .append("n".repeat(100_000))
                        .append("\"},\n\"result\":{\"count\":")
                        .append(records)
                        .append(",\"data\":[\n");
                }
                else if (this.piece == pieces) {
                    text.append("],\"truncated\":false},\n\"next\":{\"href\":\"/page/2\",\"rels\":[1,2,3]}}\n");
                }
                else {
                    for (int i = 1; i <= perPiece; i++) {
                        int n = this.piece * perPiece + i;
                        text.append((n > 1) ? ",\n" : "")
                            .append("{\"name\":\"User ")
                            .append(n)
                            .append(" \u00e9\",\"email\":\"u")
                            .append(n)
                            .append("@example.com\"}");
                    }
                }
                this.piece++;
                return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    private LoadClient.Response load(String query, String body) {
        return this.client.load(this.users, query, "application/json", body);
    }

    private List<String> emails() {
        return this.jdbc.sql("select email from " + this.users + " order by id").query(String.class).list();
    }

    /** Compresses a stream as it is read, a buffer at a time. */
    static final class Gzipped extends InputStream {

        private final InputStream source;

        private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();

        private final GZIPOutputStream gzip;

        private byte[] pending = new byte[0];

        private int position;

        private boolean finished;

        Gzipped(InputStream source) {
            this.source = source;
            try {
                this.gzip = new GZIPOutputStream(this.compressed, 64 * 1024);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (this.position == this.pending.length) {
                if (this.finished) {
                    return -1;
                }
                byte[] chunk = this.source.readNBytes(64 * 1024);
                if (chunk.length == 0) {
                    this.gzip.finish();
                    this.finished = true;
                }
                else {
                    this.gzip.write(chunk);
                }
                this.pending = this.compressed.toByteArray();
                this.compressed.reset();
                this.position = 0;
            }
            int n = Math.min(len, this.pending.length - this.position);
            System.arraycopy(this.pending, this.position, b, off, n);
            this.position += n;
            return n;
        }
    }
}
