package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Where the CSV reader parts from PostgreSQL's own {@code COPY … CSV} (README, "CSV dialect"): characters after a
 * closing quote refuse the record, which {@code onError=skip} rejects while the load goes on at the next line; a
 * quote inside an unquoted field is kept as it is.
 */
@BulkLoaderTest
class CsvDialectTests {

    private static final String CSV = "id,name\n1,\"a\"b\n2,ok\n3,x\"y\"z\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("dialect", "id int primary key, name text");
    }

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void skipRejectsARecordWithCharactersAfterAClosingQuoteAndLoadsTheNextLines(String method) {
        LoadClient.Response response = this.client.load(this.table, "onError=skip&method=" + method, "text/csv", CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(3);
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(2);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(1);
        JsonNode reject = report.get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(1);
        assertThat(reject.get("line").asLong()).isEqualTo(2);
        assertThat(reject.get("column").asString()).isEqualTo("name");
        assertThat(reject.get("raw").asString()).isEqualTo("1,\"a\"b\n");
        assertThat(this.jdbc.sql("select id || '|' || name from " + this.table + " order by id").query(String.class)
            .list()).isEqualTo(List.of("2|ok", "3|x\"y\"z"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void abortRefusesTheLoadNamingTheRecordAndLeavesNothing(String method) {
        LoadClient.Response response = this.client.load(this.table, "method=" + method, "text/csv", CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode problem = response.json();
        assertThat(problem.get("record").asLong()).isEqualTo(1);
        assertThat(problem.get("line").asLong()).isEqualTo(2);
        assertThat(problem.get("column").asString()).isEqualTo("name");
        assertThat(new TestTables(this.jdbc).count(this.table)).isZero();
    }
}
