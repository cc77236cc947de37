package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

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
 * Hostile payloads: each gets a clear 4xx problem naming the place, and nothing is written.
 * (The test context sets a 1 MB field limit, 64 MB body limit and 16-deep JSON.)
 */
@BulkLoaderTest
class HostilePayloadTests {

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
    void unterminatedQuoteAtTheEndOfCsv() {
        LoadClient.Response response = csv("name,email\nAnn,ann@example.com\n\"Bob,bob@example.com\n");
        JsonNode problem = assertProblem(response, 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(problem.get("column").asString()).isEqualTo("name");
        assertThat(problem.get("detail").asString()).contains("not terminated");
        assertNothingWritten();
    }

    @Test
    void recordWithTooManyFields() {
        JsonNode problem = assertProblem(csv("name,email\nAnn,ann@example.com\nBob,bob@example.com,extra\n"), 400,
                "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertNothingWritten();
    }

    @Test
    void recordWithTooFewFields() {
        JsonNode problem = assertProblem(csv("name,email\nAnn,ann@example.com\nBob\n"), 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(problem.get("column").asString()).isEqualTo("email");
        assertNothingWritten();
    }

    @Test
    void headerNamingAnUnknownColumn() {
        JsonNode problem = assertProblem(csv("name,email,password\nAnn,ann@example.com,x\n"), 400,
                "malformed-payload");
        assertThat(problem.get("column").asString()).isEqualTo("password");
        assertThat(problem.get("line").asLong()).isEqualTo(1);
        assertNothingWritten();
    }

    @Test
    void duplicateHeader() {
        JsonNode problem = assertProblem(csv("name,email,name\nAnn,ann@example.com,Ann\n"), 400, "malformed-payload");
        assertThat(problem.get("column").asString()).isEqualTo("name");
        assertThat(problem.get("detail").asString()).contains("twice");
        assertNothingWritten();
    }

    @Test
    void emptyBodyInEveryFormat() {
        assertProblem(csv(""), 400, "malformed-payload");
        assertProblem(this.client.load(this.users, "", "application/json", ""), 400, "malformed-payload");
        assertProblem(this.client.load(this.users, "", "application/x-ndjson", ""), 400, "malformed-payload");
        assertNothingWritten();
    }

    @Test
    void headerOnlyCsvIsAValidLoadOfNoRows() {
        LoadClient.Response response = csv("name,email\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isZero();
        assertThat(response.number("rowsInserted")).isZero();
        assertNothingWritten();
    }

    @Test
    void invalidJsonAfterTenThousandGoodObjectsLeavesNothing() {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 1; i <= 10_000; i++) {
            json.append("{\"name\":\"user").append(i).append("\",\"email\":\"u").append(i).append("@example.com\"},\n");
        }
        json.append("{\"name\":\"broken\",\"email\":}\n]");
        LoadClient.Response response = this.client.load(this.users, "", "application/json", json.toString());
        JsonNode problem = assertProblem(response, 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(10_001);
        assertThat(problem.get("line").asLong()).isEqualTo(10_002);
        assertThat(problem.get("rowsCommitted").asLong()).isZero();
        assertNothingWritten();
    }

    @Test
    void ndjsonWithOneBrokenLine() {
        String ndjson = "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}\n{\"name\":\"Bob\",\"email\":\n"
                + "{\"name\":\"Cy\",\"email\":\"cy@example.com\"}\n";
        JsonNode problem = assertProblem(this.client.load(this.users, "", "application/x-ndjson", ndjson), 400,
                "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(2);
        assertNothingWritten();
    }

    @Test
    void jsonValueThatIsNotAnObject() {
        JsonNode problem = assertProblem(this.client.load(this.users, "", "application/json",
                "[{\"name\":\"Ann\",\"email\":\"ann@example.com\"}, 42]"), 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertProblem(this.client.load(this.users, "", "application/json", "{\"name\":\"Ann\"}"), 400,
                "malformed-payload");
        assertProblem(this.client.load(this.users, "", "application/x-ndjson", "[1,2]\n"), 400, "malformed-payload");
        assertNothingWritten();
    }

    @Test
    void unknownJsonKeyIsNamed() {
        JsonNode problem = assertProblem(this.client.load(this.users, "", "application/x-ndjson",
                "{\"name\":\"Ann\",\"email\":\"a@example.com\"}\n{\"name\":\"Bob\",\"mail\":\"b@example.com\"}\n"), 400,
                "malformed-payload");
        assertThat(problem.get("column").asString()).isEqualTo("mail");
        assertThat(problem.get("line").asLong()).isEqualTo(2);
        assertNothingWritten();
    }

    @Test
    void wrongTypesAreRejectedWithRecordLineAndColumn() {
        String table = this.tables.create("typed", "id integer primary key, born date");
        JsonNode problem = assertProblem(this.client.load(table, "", "text/csv", "id,born\n1,2000-01-01\nabc,2000-01-02\n"),
                422, "row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(problem.get("column").asString()).isEqualTo("id");
        assertThat(problem.get("sqlState").asString()).isEqualTo("22P02");

        problem = assertProblem(this.client.load(table, "", "application/x-ndjson",
                "{\"id\":1,\"born\":\"2000-01-01\"}\n{\"id\":2,\"born\":\"2026-13-45\"}\n"), 422, "row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(2);
        assertThat(problem.get("column").asString()).isEqualTo("born");
        assertThat(problem.get("detail").asString()).doesNotContain("COPY ");
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void wrongTypeWithBatchMethodNamesTheRecord() {
        String table = this.tables.create("typed", "id integer primary key, born date");
        JsonNode problem = assertProblem(this.client.load(table, "method=batch", "text/csv",
                "id,born\n1,2000-01-01\n2,2026-13-45\n3,2000-01-03\n"), 422, "row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(3);
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void notNullViolationAfterAQuotedNewlineMapsToThePhysicalLine() {
        JsonNode problem = assertProblem(csv("name,email\n\"Ann\nLee\",ann@example.com\nBob,\n"), 422, "row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("line").asLong()).isEqualTo(4);
        assertThat(problem.get("column").asString()).isEqualTo("email");
        assertThat(problem.get("sqlState").asString()).isEqualTo("23502");
        assertNothingWritten();
    }

    @Test
    void uniqueViolationNamesTheConstraintInALaterChunk() {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int i = 1; i <= 2500; i++) {
            csv.append("user").append(i).append(",u").append(i).append("@example.com\n");
        }
        csv.append("again,u7@example.com\n");
        for (String method : new String[] { "copy", "batch" }) {
            JsonNode problem = assertProblem(this.client.load(this.users, "method=" + method, "text/csv", csv.toString()),
                    422, "row-rejected");
            assertThat(problem.get("record").asLong()).isEqualTo(2501);
            assertThat(problem.get("line").asLong()).isEqualTo(2502);
            assertThat(problem.get("sqlState").asString()).isEqualTo("23505");
            assertThat(problem.get("constraint").asString()).isEqualTo(this.users + "_email_key");
            assertNothingWritten();
        }
    }

    @Test
    void nonAtomicFailureReportsWhatWasCommitted() {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int i = 1; i <= 2500; i++) {
            csv.append("user").append(i).append(",u").append(i).append("@example.com\n");
        }
        csv.append("nobody,\n");
        JsonNode problem = assertProblem(this.client.load(this.users, "atomic=false", "text/csv", csv.toString()), 422,
                "row-rejected");
        assertThat(problem.get("rowsCommitted").asLong()).isEqualTo(2000);
        assertThat(problem.get("committedThroughRecord").asLong()).isEqualTo(2000);
        assertThat(problem.get("record").asLong()).isEqualTo(2501);
        assertThat(this.tables.count(this.users)).isEqualTo(2000);
    }

    @Test
    void invalidUtf8() {
        byte[] body = "name,email\nAnn,ann@example.com\nB\u00ffb,bob@example.com\n".getBytes(StandardCharsets.ISO_8859_1);
        JsonNode problem = assertProblem(this.client.load(this.users, "", "text/csv", body), 400, "malformed-payload");
        assertThat(problem.get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("column").asString()).isEqualTo("name");
        byte[] json = "[{\"name\":\"B\u00ffb\",\"email\":\"b@example.com\"}]".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(this.client.load(this.users, "", "application/json", json), 400, "malformed-payload");
        assertNothingWritten();
    }

    @Test
    void gzipBodyThatIsNotGzip() {
        JsonNode problem = assertProblem(this.client.load(this.users, "", "text/csv", "name,email\nAnn,a@example.com\n",
                "Content-Encoding", "gzip"), 400, "malformed-payload");
        assertThat(problem.get("detail").asString()).contains("gzip");
        assertNothingWritten();
    }

    @Test
    void gzipBombIsRefused() {
        // a few hundred KB of gzip that would expand to 256 MB of valid rows
        String table = this.tables.create("bomb", "name text, email text");
        LoadClient.Response response = this.client.load(table, "", "text/csv", gzipBomb(),
                "Content-Encoding", "gzip");
        JsonNode problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.get("detail").asString()).contains("gzip bomb");
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void hugeFieldIsRefusedBeforeItIsBuffered() {
        String big = "x".repeat(2 * 1024 * 1024);
        JsonNode problem = assertProblem(csv("name,email\n" + big + ",a@example.com\n"), 413, "payload-too-large");
        assertThat(problem.get("column").asString()).isEqualTo("name");
        assertThat(problem.get("record").asLong()).isEqualTo(1);
        problem = assertProblem(this.client.load(this.users, "", "application/json",
                "[{\"name\":\"" + big + "\",\"email\":\"a@example.com\"}]"), 413, "payload-too-large");
        assertNothingWritten();
    }

    @Test
    void deeplyNestedJson() {
        String table = this.tables.create("docs", "id int, doc jsonb");
        String nested = "[".repeat(100) + "]".repeat(100);
        assertProblem(this.client.load(table, "", "application/x-ndjson", "{\"id\":1,\"doc\":" + nested + "}\n"), 413,
                "payload-too-large");
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void unsupportedContentTypeAndEncoding() {
        assertProblem(this.client.load(this.users, "", "application/xml", "<users/>"), 415, "unsupported-media-type");
        assertProblem(this.client.load(this.users, "", "text/csv; charset=Shift_JIS", "name,email\n"), 415,
                "unsupported-media-type");
        assertProblem(this.client.load(this.users, "", "text/csv", "name,email\n", "Content-Encoding", "br"), 415,
                "unsupported-media-type");
        assertNothingWritten();
    }

    @Test
    void tableNameWithSqlInIt() {
        String hostile = this.users + "; drop table " + this.users + "; --";
        JsonNode problem = assertProblem(this.client.load(hostile, "", "text/csv", "name,email\nAnn,a@example.com\n"),
                404, "table-not-found");
        assertThat(problem.get("table").asString()).isEqualTo(hostile);
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void tableOutsideTheAllowListIsNotFound() {
        this.jdbc.sql("create schema if not exists private").update();
        this.jdbc.sql("create table if not exists private.secrets (v text)").update();
        assertProblem(this.client.load("private.secrets", "", "text/csv", "v\nx\n"), 404, "table-not-found");
        assertProblem(this.client.load("bulkload.flyway_schema_history", "", "text/csv", "version\n9\n"), 404,
                "table-not-found");
        assertThat(this.jdbc.sql("select count(*) from private.secrets").query(Long.class).single()).isZero();
    }

    @Test
    void badParametersAreNamed() {
        JsonNode problem = assertProblem(this.client.load(this.users, "method=fast", "text/csv", "name,email\n"), 400,
                "invalid-parameter");
        assertThat(problem.get("parameter").asString()).isEqualTo("method");
        problem = assertProblem(this.client.load(this.users, "batchSize=0", "text/csv", "name,email\n"), 400,
                "invalid-parameter");
        assertThat(problem.get("parameter").asString()).isEqualTo("batchSize");
        assertProblem(this.client.load(this.users, "delimiter=ab", "text/csv", "name,email\n"), 400,
                "invalid-parameter");
    }

    private LoadClient.Response csv(String body) {
        return this.client.load(this.users, "", "text/csv", body);
    }

    private JsonNode assertProblem(LoadClient.Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).endsWith(type);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return problem;
    }

    private void assertNothingWritten() {
        assertThat(this.tables.count(this.users)).isZero();
    }

    private static byte[] gzipBomb() {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("name,email\n".getBytes(StandardCharsets.UTF_8));
            byte[] rows = "aaaaaaaaaa,bbbbbbbbbb@example.com\n".repeat(32 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 256; i++) {
                gzip.write(rows);
            }
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        return compressed.toByteArray();
    }
}
