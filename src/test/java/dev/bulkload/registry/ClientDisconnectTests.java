package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;

import static org.awaitility.Awaitility.await;

/**
 * A client that stops sending mid-upload (the body ends before its Content-Length, or without its final chunk):
 * the load fails as client-disconnected, never a shorter successful load, and the record it cut off is never
 * written. The client half-closes its side, so it can still read the answer a vanished client never would.
 */
@BulkLoaderTest
class ClientDisconnectTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
    }

    @Test
    void aBodyEndingBeforeItsContentLengthFailsAndItsCutLastLineIsNeverLoaded() throws Exception {
        String table = this.tables.create("cut", "name text, email text");
        // the last line is cut mid-value: "u3,u3@" would be a valid record if it were taken for the end
        String sent = "name,email\nu1,u1@x\nu2,u2@x\nu3,u3@";
        RawHttp.Response answer = cutOff(table, "", "Content-Length: " + (sent.length() + 100), sent, false);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");
        assertThat(answer.json().get("loadId")).isNotNull();
        assertThat(this.tables.count(table)).isZero();
        String id = answer.json().get("loadId").asString();
        LoadClient.Response load = new LoadClient(this.port).get("/api/v1/loads/" + id);
        assertThat(load.text("status")).isEqualTo("failed");
        assertThat(load.json().get("problem").get("type").asString())
            .isEqualTo("urn:bulkload:problem:client-disconnected");
    }

    @Test
    void aChunkedBodyWithoutItsLastChunkFailsAndANonAtomicLoadKeepsOnlyWholeChunks() throws Exception {
        String table = this.tables.create("cut", "name text, email text");
        StringBuilder rows = new StringBuilder("name,email\n");
        for (int i = 1; i <= 250; i++) {
            rows.append("u").append(i).append(",u").append(i).append("@x\n");
        }
        rows.append("u251,u251@");
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        String chunk = Integer.toHexString(bytes.length) + "\r\n" + rows + "\r\n";
        RawHttp.Response answer = cutOff(table, "atomic=false&batchSize=100", "Transfer-Encoding: chunked", chunk,
                true);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");
        assertThat(answer.json().get("rowsCommitted").asLong()).isEqualTo(200);
        assertThat(this.tables.count(table)).isEqualTo(200);
        assertThat(this.jdbc.sql("select count(*) from public." + table + " where name = 'u251'").query(Long.class)
            .single()).isZero();
    }

    /** Sends the head and part of the body, then half-closes: the rest never comes. */
    private RawHttp.Response cutOff(String table, String query, String framing, String body, boolean awaitRows)
            throws Exception {
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(30))) {
            http.send("POST /api/v1/tables/" + table + "/rows" + (query.isEmpty() ? "" : "?" + query)
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n" + framing + "\r\n\r\n" + body);
            if (awaitRows) {
                // the complete chunks are committed before the body is cut
                await().atMost(10, TimeUnit.SECONDS).until(() -> this.tables.count(table) == 200);
            }
            http.raw().shutdownOutput();
            return http.readUntilClosed();
        }
    }
}
