package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;

/**
 * The admission gate: with one slot and a queue of one, two uploads still arriving hold it (one running, one
 * waiting for the slot); the next load is answered 503 at once without its body being read, other requests
 * are still answered, and once the two finish loads are admitted again. Requests other than loads have a gate
 * of their own (here of one), which health probes pass whatever it holds.
 */
@BulkLoaderTest
@TestPropertySource(properties = { "bulkload.load.max-concurrent-loads=1", "bulkload.load.admission-queue=1",
        "bulkload.load.max-other-requests=1",
        // the waiting upload must still be waiting when the refusal is checked, however slow the machine
        "bulkload.load.queue-timeout=5m", "bulkload.load.retry-after=9s" })
class LoadAdmissionTests {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLoadBeyondTheGateIsRefusedBeforeItsBodyAndTheGateReopensAfterwards() {
        String table = new TestTables(this.jdbc).users();
        LoadClient client = new LoadClient(this.port);
        long refusedBefore = metric(client, "bulkload_requests_refused_total");
        try (RawHttp running = new RawHttp(this.port, READ_TIMEOUT);
                RawHttp waiting = new RawHttp(this.port, READ_TIMEOUT)) {
            startUpload(running, table, "name,email\nAnn,ann@example.com\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(client, "bulkload_loads_active") == 1);
            startUpload(waiting, table, "name,email\nBob,bob@example.com\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(client, "bulkload_loads_admitted") == 2);

            try (RawHttp refused = new RawHttp(this.port, READ_TIMEOUT)) {
                // a body of a million bytes is announced and one is sent: the answer cannot depend on the rest
                refused.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n[");
                RawHttp.Response answer = refused.readUntilClosed();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("content-type")).startsWith("application/problem+json");
                assertThat(answer.header("retry-after")).isEqualTo("9");
                assertThat(answer.header("connection")).isEqualTo("close");
                assertThat(answer.json().get("type").asString()).isEqualTo("urn:bulkload:problem:service-busy");
                assertThat(answer.json().get("status").asInt()).isEqualTo(503);
                assertThat(refused.sent()).isLessThan(1000);
            }
            // a small body sent whole with its headers is refused the same way, and the answer is not lost to a reset
            LoadClient.Response small = client.load(table, "", "text/csv", "name,email\nCy,cy@example.com\n");
            assertThat(small.status()).isEqualTo(503);
            assertThat(small.header("Retry-After")).isEqualTo("9");
            assertThat(metric(client, "bulkload_requests_refused_total")).isEqualTo(refusedBefore + 2);

            // everything that is not a load passes the gate
            assertThat(client.get("/livez").status()).isEqualTo(200);
            assertThat(client.get("/readyz").status()).isEqualTo(200);
            assertThat(client.get("/api/v1/tables").status()).isEqualTo(200);
            assertThat(metric(client, "bulkload_loads_admitted")).isEqualTo(2);

            finishUpload(running);
            assertThat(running.readUntilClosed().body()).contains("\"rowsInserted\":1");
            finishUpload(waiting);
            assertThat(waiting.readUntilClosed().body()).contains("\"rowsInserted\":1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(client, "bulkload_loads_admitted") == 0);
        assertThat(client.load(table, "", "text/csv", "name,email\nDee,dee@example.com\n").status()).isEqualTo(200);
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(3);
    }

    @Test
    void aRequestBeyondTheOtherGateIsRefusedWhileProbesAndLoadsPass() throws Exception {
        String table = new TestTables(this.jdbc).users();
        LoadClient client = new LoadClient(this.port);
        Holding.entered = new CountDownLatch(1);
        Holding.release = new CountDownLatch(1);
        try (RawHttp held = new RawHttp(this.port, READ_TIMEOUT)) {
            held.send("GET /test/held HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(Holding.entered.await(30, TimeUnit.SECONDS)).isTrue();

            LoadClient.Response refused = client.get("/api/v1/tables");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("9");
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:bulkload:problem:server-busy");
            for (String probe : new String[] { "/livez", "/readyz", "/actuator/health", "/actuator/health/readiness" }) {
                assertThat(client.get(probe).status()).as(probe).isEqualTo(200);
            }
            assertThat(client.load(table, "", "text/csv", "name,email\nEd,ed@example.com\n").status()).isEqualTo(200);

            Holding.release.countDown();
            assertThat(held.readUntilClosed().status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/v1/tables").status() == 200);
    }

    private static void startUpload(RawHttp http, String table, String firstChunk) {
        http.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        byte[] bytes = firstChunk.getBytes(StandardCharsets.UTF_8);
        http.send(Integer.toHexString(bytes.length) + "\r\n");
        http.send(bytes);
        http.send("\r\n");
    }

    private static void finishUpload(RawHttp http) {
        http.send("0\r\n\r\n");
    }

    /** A meter's value from the Prometheus page (this context runs without credentials and without a management port). */
    private static long metric(LoadClient client, String name) {
        String prefix = name + "{application=\"bulk-loader\"} ";
        return client.get("/actuator/prometheus")
            .body()
            .lines()
            .filter((line) -> line.startsWith(prefix))
            .map((line) -> Math.round(Double.parseDouble(line.substring(prefix.length()))))
            .findFirst()
            .orElse(-1L);
    }

    /** A request that stays in progress until the test lets it go. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Holding {

        static volatile CountDownLatch entered = new CountDownLatch(0);

        static volatile CountDownLatch release = new CountDownLatch(0);

        @Bean
        HeldController heldController() {
            return new HeldController();
        }
    }

    @RestController
    static class HeldController {

        @GetMapping("/test/held")
        String held() throws InterruptedException {
            Holding.entered.countDown();
            Holding.release.await(60, TimeUnit.SECONDS);
            return "released";
        }
    }
}
