package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Every write mode with both methods, atomic and not, on a table with a primary key, a second
 * unique key, a NOT NULL column, a CHECK constraint and a foreign key: exact counts and contents.
 */
@BulkLoaderTest
class WriteModeTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String parents;

    String items;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.parents = this.tables.create("parents", "id int primary key");
        this.jdbc.sql("insert into " + this.parents + " values (1), (2), (3)").update();
        this.items = this.tables.create("items", "id int primary key, code text not null unique, "
                + "qty int not null check (qty >= 0), parent_id int references " + this.parents + " (id), "
                + "note text default 'none'");
        this.jdbc.sql("insert into " + this.items + " (id, code, qty, parent_id, note) values "
                + "(1, 'a', 1, 1, 'first'), (2, 'b', 2, 2, 'second')").update();
    }

    static Stream<Arguments> methodsAndAtomicity() {
        return Stream.of(Arguments.of("copy", true), Arguments.of("copy", false), Arguments.of("batch", true),
                Arguments.of("batch", false));
    }

    @ParameterizedTest(name = "{0}, atomic={1}")
    @MethodSource("methodsAndAtomicity")
    void upsertInsertsUpdatesAndKeepsTheLastOfARepeatedKey(String method, boolean atomic) {
        String csv = "id,code,qty\n1,a,10\n4,d,4\n4,d2,40\n";
        JsonNode report = load("mode=upsert", method, atomic, csv);
        assertCounts(report, 3, 1, 1, 1, 0);
        assertThat(rows()).containsExactly("1|a|10|1|first", "2|b|2|2|second", "4|d2|40|null|none");
    }

    @ParameterizedTest(name = "{0}, atomic={1}")
    @MethodSource("methodsAndAtomicity")
    void upsertByASecondUniqueKey(String method, boolean atomic) {
        String csv = "code,id,qty\nb,2,20\nz,9,9\n";
        JsonNode report = load("mode=upsert&key=code", method, atomic, csv);
        assertCounts(report, 2, 1, 1, 0, 0);
        assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|20|2|second", "9|z|9|null|none");
    }

    @ParameterizedTest(name = "{0}, atomic={1}")
    @MethodSource("methodsAndAtomicity")
    void ignoreSkipsExistingAndRepeatedKeys(String method, boolean atomic) {
        String csv = "id,code,qty\n1,zz,99\n5,e,5\n5,e2,50\n";
        JsonNode report = load("mode=ignore", method, atomic, csv);
        assertCounts(report, 3, 1, 0, 2, 0);
        assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|2|2|second", "5|e|5|null|none");
    }

    @ParameterizedTest(name = "{0}, atomic={1}")
    @MethodSource("methodsAndAtomicity")
    void updateChangesOnlyPresentColumnsAndRejectsUnmatchedKeys(String method, boolean atomic) {
        String csv = "id,qty\n1,11\n2,22\n9,99\n";
        JsonNode problem = loadExpecting(422, "mode=update", method, atomic, csv);
        assertThat(problem.get("record").asLong()).isEqualTo(3);
        assertThat(problem.get("line").asLong()).isEqualTo(4);
        assertThat(problem.get("detail").asString()).contains("no row with this key");
        if (atomic) {
            assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|2|2|second");
        }
        JsonNode report = load("mode=update&onError=skip", method, atomic, csv);
        assertCounts(report, 3, 0, 2, 0, 1);
        assertThat(report.get("rejects").get(0).get("record").asLong()).isEqualTo(3);
        assertThat(rows()).containsExactly("1|a|11|1|first", "2|b|22|2|second");
    }

    @ParameterizedTest(name = "{0}, atomic={1}")
    @MethodSource("methodsAndAtomicity")
    void insertWithSkipRejectsEveryKindOfBadRowExactly(String method, boolean atomic) {
        String csv = """
                id,code,qty,parent_id
                10,k10,1,1
                11,k11,abc,1
                12,,1,1
                13,k13,-5,1
                14,k14,1,77
                15,a,1,1
                16,k16,1,2
                16,k16b,1,2
                17,k16,1,3
                18,k18,1,
                """;
        JsonNode report = load("onError=skip", method, atomic, csv);
        assertCounts(report, 10, 3, 0, 0, 7);
        assertThat(rejectSummary(report)).containsExactly("2@3:qty:22P02", "3@4:code:23502", "4@5:qty:23514",
                "5@6:parent_id:23503", "6@7:code:23505", "8@9:id:23505", "9@10:code:23505");
        assertThat(report.get("rejects").get(1).get("raw").asString()).isEqualTo("12,,1,1\n");
        assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|2|2|second", "10|k10|1|1|none", "16|k16|1|2|none",
                "18|k18|1|null|none");
    }

    @Test
    void upsertRepeatedAcrossChunksCountsTheEarlierOccurrenceAsSkipped() {
        StringBuilder csv = new StringBuilder("id,code,qty\n");
        csv.append("1,a,100\n");
        for (int i = 100; i < 1100; i++) {
            csv.append(i).append(",c").append(i).append(",1\n");
        }
        csv.append("1,a,101\n150,c150,150\n");
        for (String atomic : new String[] { "true", "false" }) {
            this.jdbc.sql("delete from " + this.items + " where id >= 100").update();
            this.jdbc.sql("update " + this.items + " set qty = 1 where id = 1").update();
            JsonNode report = this.client.load(this.items, "mode=upsert&batchSize=500&atomic=" + atomic, "text/csv",
                    csv.toString()).json();
            assertCounts(report, 1003, 1000, 1, 2, 0);
            assertThat(report.get("batches").asLong()).isEqualTo(3);
            assertThat(this.jdbc.sql("select qty from " + this.items + " where id = 1").query(Integer.class).single())
                .isEqualTo(101);
            assertThat(this.jdbc.sql("select qty from " + this.items + " where id = 150").query(Integer.class).single())
                .isEqualTo(150);
        }
    }

    @Test
    void jsonUpsertLeavesAbsentColumnsUntouchedAndDefaultsNewRows() {
        String ndjson = "{\"id\":1,\"qty\":7}\n{\"id\":2,\"code\":\"b\",\"qty\":8,\"note\":null}\n"
                + "{\"id\":3,\"code\":\"c\",\"qty\":9}\n";
        JsonNode report = this.client.load(this.items, "mode=upsert", "application/x-ndjson", ndjson).json();
        assertCounts(report, 3, 1, 2, 0, 0);
        assertThat(rows()).containsExactly("1|a|7|1|first", "2|b|8|2|null", "3|c|9|null|none");
    }

    @Test
    void dryRunUpsertReportsWithoutChanging() {
        JsonNode report = this.client.load(this.items, "mode=upsert&dryRun=true", "text/csv",
                "id,code,qty\n1,a,50\n7,g,7\n").json();
        assertCounts(report, 2, 1, 1, 0, 0);
        assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|2|2|second");
    }

    @Test
    void keyMustBeAUniqueKeyOfKnownColumns() {
        assertInvalidKey("mode=upsert&key=qty", "not the primary key or a unique key");
        assertInvalidKey("mode=upsert&key=nope", "Unknown column 'nope'");
        assertInvalidKey("mode=upsert&key=id%3B%20drop%20table%20x", "Unknown column");
        assertInvalidKey("key=id", "key is for mode=upsert");
        String noKey = this.tables.create("nokey", "v int");
        LoadClient.Response response = this.client.load(noKey, "mode=upsert", "text/csv", "v\n1\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("no primary key");
    }

    @Test
    void missingKeyColumnIsARejectOrAnError() {
        String csv = "code,qty\nq,1\n";
        LoadClient.Response response = this.client.load(this.items, "mode=upsert", "text/csv", csv);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("column").asString()).isEqualTo("id");
        JsonNode report = this.client.load(this.items, "mode=upsert&onError=skip", "text/csv", csv).json();
        assertCounts(report, 1, 0, 0, 0, 1);
    }

    @Test
    void maxErrorsExceededAtTheLastRowLeavesNothing() {
        String csv = "id,code,qty\n20,x20,1\n21,x21,-1\n22,x22,1\n23,x23,-1\n";
        JsonNode report = this.client.load(this.items, "onError=skip&maxErrors=2", "text/csv", csv).json();
        assertCounts(report, 4, 2, 0, 0, 2);
        this.jdbc.sql("delete from " + this.items + " where id >= 20").update();
        LoadClient.Response response = this.client.load(this.items, "onError=skip&maxErrors=1", "text/csv", csv);
        assertThat(response.status()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).endsWith("too-many-rejects");
        assertThat(problem.get("rejects")).hasSize(2);
        assertThat(problem.get("rejects").get(0).get("record").asLong()).isEqualTo(2);
        assertThat(problem.get("rejects").get(1).get("record").asLong()).isEqualTo(4);
        assertThat(rows()).containsExactly("1|a|1|1|first", "2|b|2|2|second");
    }

    @Test
    void rejectsKeepInvalidUtf8AndTruncateHugeRecords() {
        byte[] bad = "id,code,qty\n30,x\u00ff,1\n31,ok,1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        JsonNode report = this.client.load(this.items, "onError=skip", "text/csv", bad).json();
        assertCounts(report, 2, 1, 0, 0, 1);
        assertThat(report.get("rejects").get(0).get("raw").asString()).isEqualTo("30,x\uFFFD,1\n");
        String big = "y".repeat(900_000);
        report = this.client.load(this.items, "onError=skip", "text/csv", "id,code,qty\n32," + big + ",bad\n").json();
        assertCounts(report, 1, 0, 0, 0, 1);
        String raw = report.get("rejects").get(0).get("raw").asString();
        assertThat(raw).startsWith("32,yyy").endsWith("\u2026").hasSizeLessThan(1100);
    }

    @Test
    void manyRejectsAreCountedButTheListIsCapped() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            ndjson.append("{\"id\":").append(1000 + i).append(",\"code\":\"m").append(i).append("\",\"qty\":-1}\n");
        }
        JsonNode report = this.client.load(this.items, "onError=skip", "application/x-ndjson", ndjson.toString())
            .json();
        assertCounts(report, 1500, 0, 0, 0, 1500);
        assertThat(report.get("rejects")).hasSize(1000);
        assertThat(report.get("rejectsTruncated").asBoolean()).isTrue();
    }

    private JsonNode load(String query, String method, boolean atomic, String csv) {
        return loadExpecting(200, query, method, atomic, csv);
    }

    private JsonNode loadExpecting(int status, String query, String method, boolean atomic, String csv) {
        LoadClient.Response response = this.client.load(this.items, query + "&method=" + method + "&atomic=" + atomic,
                "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json();
    }

    private void assertInvalidKey(String query, String message) {
        LoadClient.Response response = this.client.load(this.items, query, "text/csv", "id,code,qty\n1,a,1\n");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("parameter").asString()).isEqualTo("key");
        assertThat(response.json().get("detail").asString()).contains(message);
    }

    private static void assertCounts(JsonNode report, long received, long inserted, long updated, long skipped,
            long rejected) {
        assertThat(List.of(report.get("rowsReceived").asLong(), report.get("rowsInserted").asLong(),
                report.get("rowsUpdated").asLong(), report.get("rowsSkipped").asLong(),
                report.get("rowsRejected").asLong()))
            .as(report.toString())
            .containsExactly(received, inserted, updated, skipped, rejected);
    }

    private static List<String> rejectSummary(JsonNode report) {
        return report.get("rejects").valueStream()
            .map((r) -> r.get("record").asLong() + "@" + r.get("line").asLong() + ":" + text(r.get("column")) + ":"
                    + text(r.get("sqlState")))
            .toList();
    }

    private static String text(JsonNode node) {
        return (node == null || node.isNull()) ? "null" : node.asString();
    }

    private List<String> rows() {
        return this.jdbc.sql("select concat_ws('|', id, code, qty, coalesce(parent_id::text, 'null'), "
                + "coalesce(note, 'null')) from " + this.items + " order by id").query(String.class).list();
    }
}
