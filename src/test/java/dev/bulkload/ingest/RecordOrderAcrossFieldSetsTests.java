package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
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
 * The README's promise for records with different fields: in every staged mode a key repeated in a chunk is
 * resolved by record order, whatever fields each record carries (the last record wins an upsert or update for the
 * fields it carries, the first an ignore, the later ones are an insert's rejects), with NDJSON and JSON arrays,
 * COPY and batch, atomic or not.
 */
@BulkLoaderTest
class RecordOrderAcrossFieldSetsTests {

    /** Record 2 carries email, records 1 and 3 do not; records 2 and 3 share the key 7. */
    private static final List<String> MIXED = List.of("{\"id\":1,\"name\":\"a\"}",
            "{\"id\":7,\"name\":\"first\",\"email\":\"e7\"}", "{\"id\":7,\"name\":\"last\"}");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("people",
                "id int primary key, name text not null, email text unique, note text default 'none'");
    }

    static Stream<Arguments> formatsMethodsAndAtomicity() {
        return Stream.of("ndjson", "json")
            .flatMap((format) -> Stream.of("copy", "batch")
                .flatMap((method) -> Stream.of(true, false).map((atomic) -> Arguments.of(format, method, atomic))));
    }

    @ParameterizedTest(name = "{0}, {1}, atomic={2}")
    @MethodSource("formatsMethodsAndAtomicity")
    void upsertTakesTheLastRecordsValuesForTheFieldsItCarries(String format, String method, boolean atomic) {
        JsonNode report = load("mode=upsert&key=id", format, method, atomic, MIXED);
        assertCounts(report, 3, 2, 0, 1, 0);
        // email is not in the last record, so the one the earlier record gave stays
        assertThat(rows()).containsExactly("1|a|null|none", "7|last|e7|none");
    }

    @ParameterizedTest(name = "{0}, {1}, atomic={2}")
    @MethodSource("formatsMethodsAndAtomicity")
    void updateTakesTheLastRecordsValuesForTheFieldsItCarries(String format, String method, boolean atomic) {
        this.jdbc.sql("insert into " + this.table + " (id, name) values (1, 'x'), (7, 'orig')").update();
        JsonNode report = load("mode=update&key=id", format, method, atomic, MIXED);
        assertCounts(report, 3, 0, 2, 1, 0);
        assertThat(rows()).containsExactly("1|a|null|none", "7|last|e7|none");
    }

    @ParameterizedTest(name = "{0}, {1}, atomic={2}")
    @MethodSource("formatsMethodsAndAtomicity")
    void ignoreKeepsTheFirstRecord(String format, String method, boolean atomic) {
        JsonNode report = load("mode=ignore&key=id", format, method, atomic, MIXED);
        assertCounts(report, 3, 2, 0, 1, 0);
        assertThat(rows()).containsExactly("1|a|null|none", "7|first|e7|none");
    }

    @ParameterizedTest(name = "{0}, {1}, atomic={2}")
    @MethodSource("formatsMethodsAndAtomicity")
    void insertWithSkipRejectsTheLaterRepeat(String format, String method, boolean atomic) {
        JsonNode report = load("onError=skip", format, method, atomic, MIXED);
        assertCounts(report, 3, 2, 0, 0, 1);
        assertThat(report.get("rejects").get(0).get("record").asLong()).isEqualTo(3);
        assertThat(report.get("rejects").get(0).get("sqlState").asString()).isEqualTo("23505");
        assertThat(rows()).containsExactly("1|a|null|none", "7|first|e7|none");
    }

    @ParameterizedTest(name = "{0}, {1}, atomic={2}")
    @MethodSource("formatsMethodsAndAtomicity")
    void insertWithSkipRejectsTheLaterHolderOfAUniqueValueFromAnotherFieldSet(String format, String method,
            boolean atomic) {
        // records 1 and 3 have one field set, record 2 another; 2 takes the e-mail first, so 3 is the reject
        List<String> records = List.of("{\"id\":1,\"name\":\"a\",\"email\":\"y\"}",
                "{\"id\":2,\"name\":\"b\",\"email\":\"x\",\"note\":\"n\"}", "{\"id\":3,\"name\":\"c\",\"email\":\"x\"}");
        JsonNode report = load("onError=skip", format, method, atomic, records);
        assertCounts(report, 3, 2, 0, 0, 1);
        assertThat(report.get("rejects").get(0).get("record").asLong()).isEqualTo(3);
        assertThat(report.get("rejects").get(0).get("column").asString()).isEqualTo("email");
        assertThat(rows()).containsExactly("1|a|y|none", "2|b|x|n");
    }

    @Test
    void keysWrittenDifferentlyButEqualAsNumbersAreTheSameKey() {
        List<String> records = List.of("{\"id\":7,\"name\":\"first\",\"email\":\"e7\"}", "{\"id\":\"007\",\"name\":\"mid\"}",
                "{\"id\":\"+7\",\"name\":\"last\",\"email\":\"e8\"}", "{\"id\":\" 7\",\"name\":\"after\"}");
        JsonNode report = load("mode=upsert&key=id", "ndjson", "copy", true, records);
        assertCounts(report, 4, 1, 0, 3, 0);
        assertThat(rows()).containsExactly("7|after|e8|none");
    }

    @Test
    void interleavedFieldSetsOverManyKeysFollowRecordOrder() {
        // every key appears three times, each time with another field set; the last holds the final name
        List<String> records = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int id = 1; id <= 200; id++) {
                String record = switch ((id + round) % 3) {
                    case 0 -> "{\"id\":" + id + ",\"name\":\"r" + round + "\"}";
                    case 1 -> "{\"id\":" + id + ",\"name\":\"r" + round + "\",\"email\":\"e" + id + "\"}";
                    default -> "{\"id\":" + id + ",\"name\":\"r" + round + "\",\"note\":\"n" + round + "\"}";
                };
                records.add(record);
            }
        }
        JsonNode report = load("mode=upsert&key=id&batchSize=250", "ndjson", "copy", true, records);
        assertCounts(report, 600, 200, 0, 400, 0);
        assertThat(this.jdbc.sql("select count(*) from " + this.table + " where name <> 'r2'").query(Long.class)
            .single()).isZero();
        JsonNode ignore = load("mode=ignore&key=id&batchSize=250", "ndjson", "batch", true, records);
        assertCounts(ignore, 600, 0, 0, 600, 0);
    }

    private JsonNode load(String query, String format, String method, boolean atomic, List<String> records) {
        String body = format.equals("json") ? records.stream().collect(Collectors.joining(",\n", "[", "]"))
                : String.join("\n", records) + "\n";
        String type = format.equals("json") ? "application/json" : "application/x-ndjson";
        LoadClient.Response response = this.client.load(this.table, query + "&method=" + method + "&atomic=" + atomic,
                type, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private List<String> rows() {
        return this.jdbc.sql("select id, name, email, note from " + this.table + " order by id")
            .query((rs, n) -> rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4))
            .list();
    }

    private static void assertCounts(JsonNode report, long received, long inserted, long updated, long skipped,
            long rejected) {
        assertThat(List.of(report.get("rowsReceived").asLong(), report.get("rowsInserted").asLong(),
                report.get("rowsUpdated").asLong(), report.get("rowsSkipped").asLong(),
                report.get("rowsRejected").asLong()))
            .as(report.toString())
            .containsExactly(received, inserted, updated, skipped, rejected);
    }
}
