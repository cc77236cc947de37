package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/** Beyond its permits the service answers 503 with Retry-After instead of queuing without bound. */
@BulkLoaderTest
@TestPropertySource(properties = { "bulkload.load.max-concurrent-loads=1", "bulkload.load.queue-timeout=100ms",
        "bulkload.load.retry-after=7s" })
class LoadCapacityTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLoadBeyondThePermitsIsTurnedAwayAndTheRunningOneFinishes() throws IOException {
        String table = new TestTables(this.jdbc).users();
        LoadClient client = new LoadClient(this.port);
        try (Socket socket = new Socket("localhost", this.port)) {
            // a chunked upload that is still arriving holds the only permit
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            chunk(out, "name,email\nAnn,ann@example.com\n");
            await().atMost(Duration.ofSeconds(10))
                .until(() -> client.get("/actuator/prometheus")
                    .body()
                    .contains("bulkload_loads_active{application=\"bulk-loader\"} 1.0"));

            LoadClient.Response refused = client.load(table, "", "text/csv", "name,email\nBob,bob@example.com\n");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("7");
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:bulkload:problem:service-busy");

            chunk(out, "Cy,cy@example.com\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").contains("\"rowsInserted\":2");
        }
        assertThat(client.load(table, "", "text/csv", "name,email\nBob,bob@example.com\n").status()).isEqualTo(200);
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(3);
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
