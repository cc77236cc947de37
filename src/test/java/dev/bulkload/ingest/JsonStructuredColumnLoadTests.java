package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import tools.jackson.databind.JsonNode;

/**
 * JSON arrays into array columns and JSON objects into composite columns, as {@code json_populate_record} fills
 * them, in every write mode (insert directly, upsert, ignore and update through the staging tables), by COPY and
 * batch, atomic or not, as a JSON array and as NDJSON: with {@code onError=skip} every value is stored as
 * PostgreSQL's own {@code json_populate_record} of the same object stores it, and a record PostgreSQL refuses is a
 * reject naming its column; with {@code onError=abort} such a record is a 422 naming record, line and column, and
 * nothing is written.
 */
@BulkLoaderTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonStructuredColumnLoadTests {

    private static final List<String> COLUMNS = List.of("ints", "texts", "docs", "item", "items", "pair", "note");

    /** Records PostgreSQL takes (checked against it all the same). */
    private static final List<String> GOOD = List.of(
            "{\"ints\":[[1,2],[3,4]],\"texts\":[\"a,b\",\"q\\\"u\",\"b\\\\s\",\"{x}\",\" s \",\"NULL\",null,\"\"],"
                    + "\"docs\":[\"s\",{\"k\":[1,\"v\"]},null],\"item\":{\"x\":1,\"label\":\"a \\\"b\\\", c\","
                    + "\"tags\":[\"t,1\",null]},\"items\":[{\"x\":2},null,{\"label\":\"(y)\"}],\"pair\":[5,6]}",
            "{\"ints\":[],\"texts\":[[\"a\"],[\"b\"]],\"docs\":[],\"item\":{},\"items\":[],\"pair\":[]}",
            "{\"ints\":\"{7,8}\",\"item\":\"(3,c,)\",\"pair\":\"{1}\",\"note\":[1,{\"a\":null}]}",
            "{\"ints\":[null,1],\"texts\":[\"a\",[\"b\",1]],\"item\":{\"x\":\"4\",\"x\":5,\"unknown\":[1]},\"note\":\"x\"}");

    /** Records PostgreSQL refuses, each for one column. */
    private static final List<Bad> BAD = List.of(new Bad("{\"ints\":1}", "ints"),
            new Bad("{\"ints\":[[1],[2,3]]}", "ints"), new Bad("{\"ints\":[1,\"x\"]}", "ints"),
            new Bad("{\"texts\":{\"a\":1}}", "texts"), new Bad("{\"item\":[1]}", "item"),
            new Bad("{\"item\":{\"x\":\"y\"}}", "item"), new Bad("{\"items\":[1]}", "items"),
            new Bad("{\"pair\":[1,2,3]}", "pair"), new Bad("{\"pair\":true}", "pair"));

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    String suffix;

    String table;

    /** PostgreSQL's values for each good record, by column, as text. */
    final List<Map<String, String>> expected = new ArrayList<>();

    /** PostgreSQL's SQLSTATE for each bad record. */
    final List<String> refusals = new ArrayList<>();

    @BeforeAll
    void createTable() {
        this.client = new LoadClient(this.port);
        this.suffix = "s" + (System.nanoTime() % 1_000_000);
        this.jdbc.sql("create type js_item_" + this.suffix + " as (x integer, label text, tags text[])").update();
        this.jdbc.sql("create domain js_pair_" + this.suffix + " as integer[] check (cardinality(value) <= 2)")
            .update();
        this.table = "js_columns_" + this.suffix;
        String columns = "id integer primary key, ints integer[], texts text[], docs jsonb[], item js_item_%1$s, "
                + "items js_item_%1$s[], pair js_pair_%1$s, note text";
        this.jdbc.sql("create table public." + this.table + " (" + columns.formatted(this.suffix) + ")").update();
        this.jdbc.sql("create table public." + this.table + "_twin (" + columns.formatted(this.suffix) + ")")
            .update();
        askPostgresql();
    }

    @AfterAll
    void dropTable() {
        this.jdbc.sql("drop table if exists public." + this.table + ", public." + this.table + "_twin").update();
        this.jdbc.sql("drop domain if exists js_pair_" + this.suffix).update();
        this.jdbc.sql("drop type if exists js_item_" + this.suffix).update();
    }

    static Stream<Arguments> loads() {
        List<Arguments> loads = new ArrayList<>();
        int bad = 0;
        for (String format : List.of("json", "ndjson")) {
            for (String method : List.of("copy", "batch")) {
                for (String mode : List.of("insert", "upsert", "ignore", "update")) {
                    for (boolean atomic : List.of(true, false)) {
                        loads.add(Arguments.of(format, method, mode, atomic, bad++ % BAD.size()));
                    }
                }
            }
        }
        return loads.stream();
    }

    @ParameterizedTest(name = "{0} {1} mode={2} atomic={3}")
    @MethodSource("loads")
    void skipStoresWhatPostgresqlStoresAndRejectsWhatItRefuses(String format, String method, String mode,
            boolean atomic, int ignored) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < Math.max(GOOD.size(), BAD.size()); i++) {
            if (i < GOOD.size()) {
                records.add(GOOD.get(i));
            }
            if (i < BAD.size()) {
                records.add(BAD.get(i).record());
            }
        }
        List<Long> seeded = seed(mode, records.size());

        LoadClient.Response response = this.client.load(this.table, query(mode, method, atomic, "skip"),
                contentType(format), body(format, records));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(report.get("rowsRejected").asLong()).isEqualTo(BAD.size());
        softly.assertThat(report.get("rowsInserted").asLong() + report.get("rowsUpdated").asLong())
            .isEqualTo(GOOD.size());
        Map<Long, JsonNode> rejects = new HashMap<>();
        report.get("rejects").valueStream().forEach((reject) -> rejects.put(reject.get("record").asLong(), reject));
        for (int i = 0; i < records.size(); i++) {
            long id = i + 1;
            int good = GOOD.indexOf(records.get(i));
            Map<String, String> stored = stored(id);
            if (good >= 0) {
                softly.assertThat(rejects.get(id)).as("record " + id).isNull();
                softly.assertThat(stored).as("record " + id + " " + records.get(i)).isEqualTo(this.expected.get(good));
            }
            else {
                Bad bad = BAD.stream().filter((b) -> b.record().equals(records.get((int) id - 1))).findFirst().orElseThrow();
                String postgres = this.refusals.get(BAD.indexOf(bad));
                JsonNode reject = rejects.get(id);
                softly.assertThat(reject).as("reject of record " + id + " " + bad.record()).isNotNull();
                if (reject != null) {
                    softly.assertThat(reject.get("column").asString()).as(reject.toString()).isEqualTo(bad.column());
                    softly.assertThat(reject.get("line").asLong()).as(reject.toString())
                        .isEqualTo(format.equals("json") ? id + 1 : id);
                    softly.assertThat(reject.get("sqlState").asString().substring(0, 2))
                        .as(reject + " against PostgreSQL's " + postgres).isEqualTo(postgres.substring(0, 2));
                }
                softly.assertThat(stored).as("record " + id).isEqualTo(seeded.contains(id) ? nulls() : null);
            }
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0} {1} mode={2} atomic={3} bad={4}")
    @MethodSource("loads")
    void abortIsA422NamingRecordLineAndColumnAndWritesNothing(String format, String method, String mode,
            boolean atomic, int badIndex) {
        Bad bad = BAD.get(badIndex);
        List<String> records = List.of(GOOD.get(0), GOOD.get(1), bad.record(), GOOD.get(2));
        List<Long> seeded = seed(mode, records.size());

        LoadClient.Response response = this.client.load(this.table, query(mode, method, atomic, "abort"),
                contentType(format), body(format, records));

        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.get("record").asLong()).isEqualTo(3);
        assertThat(problem.get("line").asLong()).isEqualTo(format.equals("json") ? 4 : 3);
        assertThat(problem.get("column").asString()).isEqualTo(bad.column());
        assertThat(problem.get("sqlState").asString().substring(0, 2))
            .isEqualTo(this.refusals.get(badIndex).substring(0, 2));
        assertThat(this.jdbc.sql("select id from public." + this.table + " order by id").query(Long.class).list())
            .containsExactlyElementsOf(seeded);
        for (long id : seeded) {
            assertThat(stored(id)).isEqualTo(nulls());
        }
    }

    /**
     * Empties the table, then for an update gives it every record's row (with no values) to update, and for an upsert
     * every other one, so both of its branches run.
     */
    private List<Long> seed(String mode, int records) {
        this.jdbc.sql("truncate public." + this.table).update();
        List<Long> seeded = new ArrayList<>();
        for (long id = 1; id <= records; id++) {
            if (mode.equals("update") || (mode.equals("upsert") && id % 2 == 0)) {
                this.jdbc.sql("insert into public." + this.table + " (id) values (" + id + ")").update();
                seeded.add(id);
            }
        }
        return seeded;
    }

    /** For each record, what json_populate_record of the same object gives, inserted into the twin table. */
    private void askPostgresql() {
        List<String> records = new ArrayList<>(GOOD);
        BAD.forEach((bad) -> records.add(bad.record()));
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            String twin = "public." + this.table + "_twin";
            for (int i = 0; i < records.size(); i++) {
                Savepoint savepoint = connection.setSavepoint();
                try (PreparedStatement insert = connection.prepareStatement("insert into " + twin
                        + " select * from json_populate_record(null::" + twin + ", cast(? as json))")) {
                    insert.setString(1, "{\"id\":" + (i + 1) + "," + records.get(i).substring(1));
                    insert.executeUpdate();
                    Map<String, String> values = new HashMap<>();
                    try (PreparedStatement select = connection.prepareStatement("select "
                            + String.join(", ", COLUMNS.stream().map((c) -> c + "::text").toList()) + " from " + twin
                            + " where id = ?")) {
                        select.setInt(1, i + 1);
                        try (ResultSet rs = select.executeQuery()) {
                            rs.next();
                            for (String column : COLUMNS) {
                                values.put(column, rs.getString(column));
                            }
                        }
                    }
                    this.expected.add(values);
                    assertThat(i).as("record %s is one PostgreSQL stores", records.get(i)).isLessThan(GOOD.size());
                }
                catch (SQLException ex) {
                    assertThat(i).as("record %s is one PostgreSQL refuses: %s", records.get(i), ex.getMessage())
                        .isGreaterThanOrEqualTo(GOOD.size());
                    this.refusals.add(ex.getSQLState());
                }
                connection.rollback(savepoint);
            }
            connection.rollback();
            connection.setAutoCommit(true);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Map<String, String> stored(long id) {
        List<Map<String, String>> rows = this.jdbc
            .sql("select " + String.join(", ", COLUMNS.stream().map((c) -> c + "::text").toList()) + " from public."
                    + this.table + " where id = " + id)
            .query((rs, n) -> {
                Map<String, String> values = new HashMap<>();
                for (String column : COLUMNS) {
                    values.put(column, rs.getString(column));
                }
                return values;
            })
            .list();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Map<String, String> nulls() {
        Map<String, String> values = new HashMap<>();
        COLUMNS.forEach((column) -> values.put(column, null));
        return values;
    }

    private static String query(String mode, String method, boolean atomic, String onError) {
        return "mode=" + mode + "&method=" + method + "&atomic=" + atomic + "&onError=" + onError;
    }

    private static String contentType(String format) {
        return format.equals("json") ? "application/json" : "application/x-ndjson";
    }

    /** Record {@code n} (its id) on line {@code n} of NDJSON, on line {@code n + 1} of a JSON array. */
    private static String body(String format, List<String> records) {
        List<String> withIds = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            withIds.add("{\"id\":" + (i + 1) + "," + records.get(i).substring(1));
        }
        return format.equals("json") ? "[\n" + String.join(",\n", withIds) + "\n]" : String.join("\n", withIds) + "\n";
    }

    /**
     * A record PostgreSQL refuses.
     * @param record the JSON object, without its id
     * @param column the column whose value it refuses
     */
    private record Bad(String record, String column) {
    }
}
