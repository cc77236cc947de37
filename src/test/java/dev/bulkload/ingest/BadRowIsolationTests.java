package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
 * A 100,000-row load with 1% bad rows of every kind: each bad row is reported with its record and
 * line, every good row is in the table, and nothing else.
 */
@BulkLoaderTest
class BadRowIsolationTests {

    private static final int ROWS = 100_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void onePercentBadRowsOfMixedKinds(String method) {
        TestTables tables = new TestTables(this.jdbc);
        String parents = tables.create("parents", "id int primary key");
        this.jdbc.sql("insert into " + parents + " select generate_series(1, 10)").update();
        String items = tables.create("items", "id int primary key, code text not null unique, "
                + "qty int not null check (qty >= 0), parent_id int references " + parents + " (id)");
        this.jdbc.sql("insert into " + items + " select g, 'old' || g, 1, 1 from generate_series(1, 1000) g").update();

        StringBuilder csv = new StringBuilder("id,code,qty,parent_id\n");
        Set<Long> bad = new TreeSet<>();
        List<String> kinds = new ArrayList<>();
        for (int record = 1; record <= ROWS; record++) {
            int id = 10_000 + record;
            String code = "c" + record;
            String qty = "5";
            String parent = Integer.toString(1 + record % 10);
            if (record % 100 == 0) {
                bad.add((long) record);
                switch ((record / 100) % 6) {
                    case 0 -> { qty = "x"; kinds.add("22P02"); }
                    case 1 -> { code = ""; kinds.add("23502"); }
                    case 2 -> { id = id - 1; kinds.add("23505"); }
                    case 3 -> { id = record / 100; kinds.add("23505"); }
                    case 4 -> { parent = "999"; kinds.add("23503"); }
                    default -> { qty = "-1"; kinds.add("23514"); }
                }
            }
            csv.append(id).append(',').append(code).append(',').append(qty).append(',').append(parent).append('\n');
        }

        LoadClient.Response response = new LoadClient(this.port).load(items, "onError=skip&method=" + method,
                "text/csv", csv.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(ROWS);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(bad.size());
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(ROWS - bad.size());
        assertThat(report.get("rejectsTruncated").asBoolean()).isFalse();

        List<Long> rejectedRecords = new ArrayList<>();
        List<String> rejectedStates = new ArrayList<>();
        for (JsonNode reject : report.get("rejects")) {
            rejectedRecords.add(reject.get("record").asLong());
            assertThat(reject.get("line").asLong()).isEqualTo(reject.get("record").asLong() + 1);
            rejectedStates.add(reject.get("sqlState").asString());
        }
        assertThat(rejectedRecords).containsExactlyElementsOf(bad);
        assertThat(rejectedStates).containsExactlyElementsOf(kinds);

        assertThat(this.jdbc.sql("select count(*) from " + items).query(Long.class).single())
            .isEqualTo(1000L + ROWS - bad.size());
        assertThat(this.jdbc.sql("select count(*) from " + items + " where code = 'c' || (id - 10000)")
            .query(Long.class)
            .single()).isEqualTo((long) ROWS - bad.size());
    }
}
