package dev.bulkload.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;

/**
 * What bounds a request body: its declared length (413 before anything else), every multipart part
 * (413), the idle timeout and the minimum upload rate (408 body-too-slow, the slot freed).
 */
@BulkLoaderTest
@TestPropertySource(properties = { "bulkload.limits.max-body-size=1MB", "bulkload.limits.body-idle-timeout=1s",
        "bulkload.limits.min-upload-rate=1KB", "bulkload.limits.upload-rate-window=2s",
        "bulkload.load.max-concurrent-loads=1", "bulkload.load.queue-timeout=100ms" })
class RequestBodyLimitTests {

    private static final String CSV = "name,email\nAnn,ann@example.com\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnythingElse() {
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(5))) {
            // no such table and no body sent: only a check made before both can answer at once
            http.send("POST /api/v1/tables/no_such_table/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 11811160064\r\n\r\nname,email\n");
            RawHttp.Response response = http.readUntilClosed();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("content-type")).startsWith("application/problem+json");
            assertThat(response.json().get("type").asString()).isEqualTo("urn:bulkload:problem:payload-too-large");
            assertThat(response.json().get("detail").asString()).contains("11811160064").contains("1048576");
        }
    }

    @Test
    void aLargeFormFieldBeforeTheFileCountsTowardTheLimit() {
        String table = new TestTables(this.jdbc).users();
        String boundary = "----limit-test";
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            chunk(http, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n");
            String filler = "x".repeat(64 * 1024);
            for (int i = 0; i < 40 && chunk(http, filler); i++) {
                // 2.5 MB of a field that is not the file, against a 1 MB limit
            }
            chunk(http, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n" + CSV + "\r\n--" + boundary + "--\r\n");
            http.send("0\r\n\r\n");
            RawHttp.Response response = http.readUntilClosed();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.json().get("type").asString()).isEqualTo("urn:bulkload:problem:payload-too-large");
        }
        assertThat(new TestTables(this.jdbc).count(table)).isZero();
    }

    @Test
    void aStalledBodyAnswersBodyTooSlowAndFreesTheSlot() {
        String table = new TestTables(this.jdbc).users();
        long started = System.nanoTime();
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\nname,email\nAnn,");
            RawHttp.Response response = http.readUntilClosed();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
            assertBodyTooSlow(response);
        }
        assertTheSlotIsFree(table);
    }

    @Test
    void aTrickleBelowTheMinimumRateAnswersBodyTooSlow() {
        String table = new TestTables(this.jdbc).users();
        long started = System.nanoTime();
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\nname,email\n");
            // a byte every 200 ms never trips the 1 s idle timeout, but is far below 1 KB/s; the trickle runs
            // beside the read, which returns as soon as the service answers and closes
            byte[] row = "Ann,ann@example.com\n".getBytes(StandardCharsets.US_ASCII);
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(() -> http.send(new byte[] { row[sent.getAndIncrement() % row.length] }), 200,
                    200, TimeUnit.MILLISECONDS);
            RawHttp.Response response;
            try {
                response = http.readUntilClosed();
            }
            finally {
                trickle.shutdownNow();
            }

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
            assertBodyTooSlow(response);
            assertThat(response.json().get("detail").asString()).contains("below the minimum of 1024 bytes/s");
        }
        assertTheSlotIsFree(table);
    }

    private static void assertBodyTooSlow(RawHttp.Response response) {
        assertThat(response.status()).isEqualTo(408);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:bulkload:problem:body-too-slow");
    }

    private void assertTheSlotIsFree(String table) {
        assertThat(new TestTables(this.jdbc).count(table)).isZero();
        LoadClient.Response next = new LoadClient(this.port).load(table, "", "text/csv", CSV);
        assertThat(next.status()).isEqualTo(200);
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(1);
    }

    private static boolean chunk(RawHttp http, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return http.send(Integer.toHexString(bytes.length) + "\r\n") && http.send(bytes) && http.send("\r\n");
    }
}
