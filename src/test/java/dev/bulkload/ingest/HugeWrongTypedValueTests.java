package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.PooledConnections;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * A 30 MB value that cannot be an {@code int}, with limits that let it through the reader: it is
 * refused as a 422 naming its column, quickly and without echoing it, and leaves every pooled
 * connection fit for the next loads.
 */
@BulkLoaderTest
@TestPropertySource(properties = { "bulkload.limits.max-field-size=64MB", "bulkload.limits.max-record-size=256MB",
        "bulkload.limits.max-body-size=512MB", "bulkload.limits.max-decompressed-size=512MB" })
class HugeWrongTypedValueTests {

    private static final int HUGE = 30 * 1024 * 1024;

    /** More than the pool's 10 connections: every one of them serves a load. */
    private static final int LOADS_AFTER = 20;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    TestTables tables;

    String numbers;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.numbers = this.tables.create("numbers", "id int, name text");
    }

    @Test
    void thirtyMegabyteCsvValueForAnIntColumnIsA422NamingTheColumn() {
        byte[] body = payload("id,name\n", ",a\n");
        assertRefusedQuickly(body, "text/csv", "");
        assertEveryPooledConnectionStillLoads();
    }

    @Test
    void thirtyMegabyteJsonStringForAnIntColumnIsA422NamingTheColumn() {
        byte[] body = payload("[{\"id\":\"", "\"}]");
        assertRefusedQuickly(body, "application/json", "");
        assertEveryPooledConnectionStillLoads();
    }

    @Test
    void thirtyMegabyteValueInAStagedUpsertWithSkipIsRejectedAndTheRestLoads() {
        this.jdbc.sql("alter table " + this.numbers + " add primary key (name)").update();
        byte[] huge = payload("name,id\na,1\nb,", "\nc,3\n");
        LoadClient.Response response = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> this.client.load(this.numbers, "mode=upsert&onError=skip", "text/csv", huge));
        assertThat(response.status()).as(abbreviated(response)).isEqualTo(200);
        assertThat(response.body().length()).isLessThan(64 * 1024);
        JsonNode report = response.json();
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(2);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(1);
        JsonNode reject = report.get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("column").asString()).isEqualTo("id");
        assertThat(reject.get("sqlState").asString()).isEqualTo("22P02");
        assertEveryPooledConnectionStillLoads();
    }

    private void assertRefusedQuickly(byte[] body, String contentType, String query) {
        LoadClient.Response response = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> this.client.load(this.numbers, query, contentType, body));
        assertThat(response.status()).as(abbreviated(response)).isEqualTo(422);
        // the problem names the value's column, not the value
        assertThat(response.body().length()).isLessThan(64 * 1024);
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:row-rejected");
        assertThat(problem.get("sqlState").asString()).isEqualTo("22P02");
        assertThat(problem.get("column").asString()).isEqualTo("id");
        assertThat(problem.get("record").asLong()).isEqualTo(1);
        assertThat(this.tables.count(this.numbers)).isZero();
    }

    private void assertEveryPooledConnectionStillLoads() {
        long before = this.tables.count(this.numbers);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < LOADS_AFTER; i++) {
                LoadClient.Response response = this.client.load(this.numbers, "", "text/csv",
                        "id,name\n" + (1000 + i) + ",ok" + i + "\n");
                assertThat(response.status()).as("load %d after the huge value: %s", i + 1, response.body())
                    .isEqualTo(200);
                assertThat(response.json().get("rowsInserted").asLong()).isEqualTo(1);
            }
        });
        assertThat(this.tables.count(this.numbers)).isEqualTo(before + LOADS_AFTER);
        try {
            PooledConnections.assertEveryOneIsClean(this.dataSource);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code head}, 30 MB of 'x', {@code tail}. */
    private static byte[] payload(String head, String tail) {
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = tail.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + HUGE + end.length];
        System.arraycopy(start, 0, body, 0, start.length);
        Arrays.fill(body, start.length, start.length + HUGE, (byte) 'x');
        System.arraycopy(end, 0, body, start.length + HUGE, end.length);
        return body;
    }

    private static String abbreviated(LoadClient.Response response) {
        String body = response.body();
        return (body.length() > 2000) ? body.substring(0, 2000) + "… (" + body.length() + " chars)" : body;
    }
}
