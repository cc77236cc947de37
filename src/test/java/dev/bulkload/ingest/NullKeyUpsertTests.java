package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * NDJSON records whose upsert key, a nullable unique column, is JSON null: NULL matches no row, so
 * the records are refused by name rather than inserted as new rows behind the key's back.
 */
@BulkLoaderTest
class NullKeyUpsertTests {

    private static final String RECORDS = "{\"id\":1,\"ext\":null}\n{\"id\":2,\"ext\":null}\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String items;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.items = this.tables.create("nullkeys", "id int primary key, ext text unique");
    }

    @ParameterizedTest(name = "method={0}, atomic={1}")
    @CsvSource({ "copy, true", "copy, false", "batch, true", "batch, false" })
    void nullKeyAbortsNamingTheFirstRecordAndTheKeyColumn(String method, boolean atomic) {
        LoadClient.Response response = this.client.load(this.items,
                "mode=upsert&key=ext&method=" + method + "&atomic=" + atomic, "application/x-ndjson", RECORDS);
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:row-rejected");
        assertThat(problem.get("record").asLong()).isEqualTo(1);
        assertThat(problem.get("column").asString()).isEqualTo("ext");
        assertThat(problem.get("rowsCommitted").asLong()).isZero();
        assertThat(this.tables.count(this.items)).isZero();
    }

    @ParameterizedTest(name = "method={0}, atomic={1}")
    @CsvSource({ "copy, true", "copy, false", "batch, true", "batch, false" })
    void nullKeysWithSkipAreBothRejectedAndNothingIsInserted(String method, boolean atomic) {
        LoadClient.Response response = this.client.load(this.items,
                "mode=upsert&key=ext&onError=skip&method=" + method + "&atomic=" + atomic, "application/x-ndjson",
                RECORDS);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(2);
        assertThat(report.get("rowsInserted").asLong()).isZero();
        assertThat(report.get("rowsUpdated").asLong()).isZero();
        assertThat(report.get("rowsSkipped").asLong()).isZero();
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(2);
        JsonNode rejects = report.get("rejects");
        assertThat(rejects).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(rejects.get(i).get("record").asLong()).isEqualTo(i + 1);
            assertThat(rejects.get(i).get("column").asString()).isEqualTo("ext");
        }
        assertThat(this.tables.count(this.items)).isZero();
    }
}
