package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabaseInitializer;
import dev.bulkload.TestTables;

/**
 * Rejects downloads that clients read slowly, or not at all, hold no database connection: with 50 of them stalled
 * over 20,000 stored rejects, loads, the registry's listing and its heartbeats keep working on a pool of 10; one
 * download past {@code bulkload.load.max-downloads} is refused with Retry-After; a stalled one is cut off after
 * Tomcat's connection timeout, freeing its place.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=false", "bulkload.load.max-downloads=50",
                "server.tomcat.connection-timeout=4s", "spring.datasource.hikari.maximum-pool-size=10",
                "spring.datasource.hikari.connection-timeout=5000" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class SlowRejectsDownloadTests {

    private static final int REJECTS = 20_000;

    private static final int STALLED = 50;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String table;

    String loadId;

    final List<Socket> stalled = new ArrayList<>();

    @BeforeEach
    void loadWithManyRejects() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.table = this.tables.create("slow_rejects", "id int primary key, n int check (n > 0), note text");
        // each reject keeps ~600 bytes of raw text: 12 MB, more than any socket buffers between server and client
        StringBuilder csv = new StringBuilder("id,n,note\n");
        String note = "x".repeat(600);
        for (int i = 1; i <= REJECTS; i++) {
            csv.append(i).append(",-1,").append(note).append('\n');
        }
        LoadClient.Response report = this.client.load(this.table, "onError=skip", "text/csv", csv.toString());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.number("rowsRejected")).isEqualTo(REJECTS);
        this.loadId = report.text("id");
    }

    @AfterEach
    void closeStalled() {
        for (Socket socket : this.stalled) {
            try {
                socket.close();
            }
            catch (IOException ex) {
                // closing is all that is left to do
            }
        }
    }

    @Test
    void stalledDownloadsHoldNoConnectionAndStarveNothing() {
        for (int i = 0; i < STALLED; i++) {
            this.stalled.add(stalledDownload());
        }
        // every stalled download has started answering: its first bytes are there to read
        for (Socket socket : this.stalled) {
            assertThat(firstLine(socket)).isEqualTo("HTTP/1.1 200 ");
        }
        assertThat(this.jdbc.sql("select count(*) from pg_stat_activity where datname = current_database() "
                + "and application_name = 'bulk-loader' and state like 'idle in transaction%'")
            .query(Long.class)
            .single()).as("connections held open in a transaction by the downloads").isZero();

        LoadClient.Response load = this.client.load(this.table, "", "text/csv", "id,n,note\n1,1,ok\n");
        assertThat(load.status()).as(load.body()).isEqualTo(200);
        assertThat(this.client.get("/api/v1/loads?table=" + this.table).status()).isEqualTo(200);

        LoadClient.Response refused = this.client.get("/api/v1/loads/" + this.loadId + "/rejects");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.json().get("detail").asString()).contains("50 rejects downloads");
    }

    @Test
    void aStalledDownloadIsCutOffAndItsPlaceFreed() {
        for (int i = 0; i < STALLED; i++) {
            this.stalled.add(stalledDownload());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            LoadClient.Response download = this.client.get("/api/v1/loads/" + this.loadId + "/rejects",
                    "Accept", "application/x-ndjson");
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.body().lines().count()).isEqualTo(REJECTS);
        });
    }

    /** Asks for the rejects and reads nothing more than the status line. */
    private Socket stalledDownload() {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("localhost", this.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/loads/" + this.loadId + "/rejects HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String firstLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] line = new byte[13];
            int read = 0;
            while (read < line.length) {
                int n = in.read(line, read, line.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(line, 0, read, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
