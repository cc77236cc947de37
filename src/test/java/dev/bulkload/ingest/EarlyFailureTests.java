package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * A load that fails while the client is still sending answers at once, closes the connection and stops
 * reading: each test declares a 60 MB body (under the 64 MB limit), sends 1 MB of it and then waits, as a
 * client streaming a large file would.
 */
@BulkLoaderTest
class EarlyFailureTests {

    private static final long DECLARED = 60L * 1024 * 1024;

    private static final int SENT = 1024 * 1024;

    private static final String BOUNDARY = "----early-failure-boundary";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestTables tables;

    String users;

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
        this.users = this.tables.users();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aJsonBodyThatEndsBeforeItsFirstByteIsAClientErrorNotAnInternalOne(CapturedOutput output) {
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(30))) {
            // what a client that gives up right after the headers leaves behind: the body ends where it should start
            http.send("POST /api/v1/tables/" + this.users + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n");
            http.stopSending();
            RawHttp.Response response = http.readUntilClosed();
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.header("content-type")).startsWith("application/problem+json");
        }
        // the JSON parser meets the end while it detects the encoding: that is the client's doing, not a server fault
        assertThat(output).doesNotContain("Load failed unexpectedly");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void uploadWhoseHeaderNamesAnUnknownColumnIsAnsweredWithoutWaitingForTheRest() {
        String partHead = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"users.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        RawHttp.Response response = sendPartOf("multipart/form-data; boundary=" + BOUNDARY, "",
                partHead + "name,email,password\n", "Ann,ann@example.com,secret\n");
        JsonNode problem = assertClosingProblem(response, 400, "malformed-payload");
        assertThat(problem.get("column").asString()).isEqualTo("password");
    }

    @Test
    void rawCsvWhoseHeaderNamesAnUnknownColumnIsAnsweredWithoutWaitingForTheRest() {
        RawHttp.Response response = sendPartOf("text/csv", "", "name,email,password\n", "Ann,ann@example.com,secret\n");
        JsonNode problem = assertClosingProblem(response, 400, "malformed-payload");
        assertThat(problem.get("column").asString()).isEqualTo("password");
    }

    @Test
    void rowRejectedWithAbortIsAnsweredWithoutWaitingForTheRest() {
        // 422 is not a status Tomcat drops the connection for by itself
        RawHttp.Response response = sendPartOf("text/csv", "onError=abort", "name,email\nAnn,\n", "Bob,bob@example.com\n");
        JsonNode problem = assertClosingProblem(response, 422, "row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(1);
        assertThat(this.tables.count(this.users)).isZero();
    }

    /** Sends the request head, then {@code start} and repeated {@code row}s up to 1 MB of a declared 200 MB. */
    private RawHttp.Response sendPartOf(String contentType, String query, String start, String row) {
        StringBuilder body = new StringBuilder(SENT).append(start);
        while (body.length() + row.length() <= SENT) {
            body.append(row);
        }
        String head = "POST /api/v1/tables/" + this.users + "/rows" + (query.isEmpty() ? "" : "?" + query)
                + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\nContent-Length: " + DECLARED
                + "\r\n\r\n";
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send(head);
            // the server may stop reading before all of it is sent: write beside, read here
            CompletableFuture<Boolean> sending = CompletableFuture
                .supplyAsync(() -> http.send(body.toString().getBytes(StandardCharsets.UTF_8)));
            RawHttp.Response response = http.readUntilClosed();
            sending.completeOnTimeout(false, 10, TimeUnit.SECONDS).join();
            assertThat(http.sent()).isLessThanOrEqualTo(head.length() + SENT);
            return response;
        }
    }

    private static JsonNode assertClosingProblem(RawHttp.Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }
}
