package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * A staged load of thousands of one-row chunks: staging tables are reused across chunks, so the
 * load neither runs out of lock-table slots (it once failed with 503) nor miscounts; with atomic
 * loads every chunk lives in one transaction.
 */
@BulkLoaderTest
class ThousandsOfChunksTests {

    private static final int ROWS = 4_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String items;

    @BeforeEach
    void createTable() {
        this.client = new LoadClient(this.port);
        this.items = new TestTables(this.jdbc).create("chunks", "id int primary key, name text, qty int");
    }

    @ParameterizedTest(name = "atomic={0}")
    @ValueSource(booleans = { true, false })
    void csvUpsertOfFourThousandOneRowChunksCountsAndWritesEveryRow(boolean atomic) {
        // every odd key exists already
        this.jdbc.sql("insert into " + this.items + " select i, 'old', -i from generate_series(1, " + ROWS
                + ", 2) i").update();
        StringBuilder csv = new StringBuilder("id,name,qty\n");
        for (int id = 1; id <= ROWS; id++) {
            csv.append(id).append(",n").append(id).append(',').append(id).append('\n');
        }
        JsonNode report = load("text/csv", atomic, csv.toString());
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(ROWS);
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(ROWS / 2);
        assertThat(report.get("rowsUpdated").asLong()).isEqualTo(ROWS / 2);
        assertThat(report.get("rowsSkipped").asLong()).isZero();
        assertThat(report.get("rowsRejected").asLong()).isZero();
        assertThat(report.get("batches").asLong()).isEqualTo(ROWS);
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            expected.add(id + "|n" + id + "|" + id);
        }
        assertThat(rows()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "atomic={0}")
    @ValueSource(booleans = { true, false })
    void ndjsonUpsertAlternatingTwoColumnSetsInOneRowChunksCountsAndWritesEveryRow(boolean atomic) {
        // keys 4k and 4k+1 exist: each column set meets existing and new keys
        this.jdbc.sql("insert into " + this.items + " select i, 'old', -i from generate_series(1, " + ROWS
                + ") i where i % 4 in (0, 1)").update();
        StringBuilder ndjson = new StringBuilder();
        for (int id = 1; id <= ROWS; id++) {
            if (id % 2 == 1) {
                ndjson.append("{\"id\":").append(id).append(",\"name\":\"a").append(id).append("\"}\n");
            }
            else {
                ndjson.append("{\"id\":").append(id).append(",\"name\":\"b").append(id).append("\",\"qty\":")
                    .append(id).append("}\n");
            }
        }
        JsonNode report = load("application/x-ndjson", atomic, ndjson.toString());
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(ROWS);
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(ROWS / 2);
        assertThat(report.get("rowsUpdated").asLong()).isEqualTo(ROWS / 2);
        assertThat(report.get("rowsSkipped").asLong()).isZero();
        assertThat(report.get("batches").asLong()).isEqualTo(ROWS);
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            boolean existed = id % 4 == 0 || id % 4 == 1;
            if (id % 2 == 1) {
                // qty is absent from these records: an existing row keeps its own
                expected.add(id + "|a" + id + "|" + (existed ? String.valueOf(-id) : "null"));
            }
            else {
                expected.add(id + "|b" + id + "|" + id);
            }
        }
        assertThat(rows()).containsExactlyElementsOf(expected);
    }

    private JsonNode load(String contentType, boolean atomic, String body) {
        // a bound against a hang, not a speed goal: a busy 2-core machine took 30 s for the atomic case
        LoadClient.Response response = assertTimeoutPreemptively(Duration.ofSeconds(180),
                () -> this.client.load(this.items, "mode=upsert&batchSize=1&atomic=" + atomic, contentType, body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private List<String> rows() {
        return this.jdbc.sql("select id, name, qty from " + this.items + " order by id")
            .query((rs, n) -> rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getObject(3))
            .list();
    }
}
