package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.PostgresAnswers;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * A row error is whatever fails because of one row, whatever its SQLSTATE class: a value a type's input function
 * refuses with 42601 (tsvector), a bit string of the wrong length, a trigger failing for one row with 42883. It
 * is one reject with {@code onError=skip} and a 422 naming record and column with {@code abort}, by COPY and
 * batch, atomic or not. An error that recurs whatever the row is the load's (500), and a table changed under the
 * load is still a 409. The expected SQLSTATE is what PostgreSQL answers the same value with.
 */
@BulkLoaderTest
class RowErrorTests {

    private static final String CSV = "text/csv";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    TestTables tables;

    PostgresAnswers postgres;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.postgres = new PostgresAnswers(this.dataSource);
    }

    static Stream<Arguments> methodsAndAtomicity() {
        List<Arguments> cases = new ArrayList<>();
        for (String method : List.of("copy", "batch")) {
            for (boolean atomic : List.of(true, false)) {
                for (String bad : List.of("cat:0", "'unterminated")) {
                    cases.add(Arguments.of(method, atomic, bad));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} atomic={1} {2}")
    @MethodSource("methodsAndAtomicity")
    void aTsvectorItsInputRefusesIsOneRejectUnderSkip(String method, boolean atomic, String bad) {
        String docs = this.tables.create("docs", "id int primary key, doc tsvector");
        String expected = this.postgres.sqlState("select cast(? as tsvector)", bad);
        assertThat(expected).isNotNull();
        LoadClient.Response response = this.client.load(docs, "onError=skip&method=" + method + "&atomic=" + atomic,
                CSV, "id,doc\n1,a b\n2," + csvField(bad) + "\n3,c d\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(2);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(1);
        JsonNode reject = report.get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("line").asLong()).isEqualTo(3);
        assertThat(reject.get("column").asString()).isEqualTo("doc");
        assertThat(reject.get("sqlState").asString()).isEqualTo(expected);
        assertThat(ids(docs)).containsExactly(1, 3);
    }

    @ParameterizedTest(name = "{0} atomic={1} {2}")
    @MethodSource("methodsAndAtomicity")
    void aTsvectorItsInputRefusesIsA422NamingRecordAndColumnUnderAbort(String method, boolean atomic, String bad) {
        String docs = this.tables.create("docs", "id int primary key, doc tsvector");
        String expected = this.postgres.sqlState("select cast(? as tsvector)", bad);
        for (String mode : List.of("insert", "upsert")) {
            LoadClient.Response response = this.client.load(docs,
                    "mode=" + mode + "&method=" + method + "&atomic=" + atomic, CSV,
                    "id,doc\n1,a b\n2," + csvField(bad) + "\n3,c d\n");
            assertThat(response.status()).as(mode + ": " + response.body()).isEqualTo(422);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:row-rejected");
            assertThat(response.number("record")).isEqualTo(2);
            assertThat(response.number("line")).isEqualTo(3);
            assertThat(response.text("column")).isEqualTo("doc");
            assertThat(response.text("sqlState")).isEqualTo(expected);
            assertThat(ids(docs)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aBitStringOfTheWrongLengthIsOneRejectUnderSkipNotATableChange(String method) {
        String flags = this.tables.create("flags", "id int primary key, bits bit(3)");
        String expected = this.postgres.sqlState("insert into " + flags + " values (9, ?::text::bit varying)", "10");
        assertThat(expected).isNotNull();
        for (String mode : List.of("insert", "upsert")) {
            for (boolean atomic : List.of(true, false)) {
                this.jdbc.sql("truncate " + flags).update();
                LoadClient.Response response = this.client.load(flags,
                        "onError=skip&mode=" + mode + "&method=" + method + "&atomic=" + atomic, CSV,
                        "id,bits\n1,101\n2,10\n3,111\n");
                assertThat(response.status()).as(mode + ": " + response.body()).isEqualTo(200);
                JsonNode reject = response.json().get("rejects").get(0);
                assertThat(response.number("rowsRejected")).isEqualTo(1);
                assertThat(reject.get("record").asLong()).isEqualTo(2);
                assertThat(reject.get("column").asString()).isEqualTo("bits");
                assertThat(reject.get("sqlState").asString()).isEqualTo(expected);
                assertThat(ids(flags)).containsExactly(1, 3);
            }
        }
        // every retry gives the same answer, and no table change is concluded from it
        LoadClient.Response again = this.client.load(flags, "onError=skip&mode=upsert&method=" + method, CSV,
                "id,bits\n1,101\n2,10\n3,111\n");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
    }

    static Stream<Arguments> columnlessErrors() {
        return Stream.of(Arguments.of("code", "abcd", "22001"), Arguments.of("qty", "-1", "23514"),
                Arguments.of("bits", "10", "22026"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("columnlessErrors")
    void aValueTooLongADomainCheckAndABitLengthNameTheirColumnUnderAbortAsUnderSkip(String column, String value,
            String sqlState) {
        String domain = "positive_" + System.nanoTime();
        this.jdbc.sql("create domain " + domain + " as int check (value > 0)").update();
        String items = this.tables.create("items", "id int primary key, code varchar(3), qty " + domain
                + ", bits bit(3)");
        String good = "id,code,qty,bits\n1,abc,1,101\n";
        String row = "2," + (column.equals("code") ? value : "abc") + "," + (column.equals("qty") ? value : "1") + ","
                + (column.equals("bits") ? value : "101") + "\n";
        String expected = this.postgres.sqlState("insert into " + items + " (id, code, qty, bits) values (2, ?, ?, ?)",
                row.split(",")[1], Integer.parseInt(row.split(",")[2]), bitsOf(row.split(",")[3].trim()));
        assertThat(expected).as("what PostgreSQL answers the row with").isEqualTo(sqlState);
        for (String method : List.of("copy", "batch")) {
            for (String mode : List.of("insert", "upsert")) {
                LoadClient.Response abort = this.client.load(items, "mode=" + mode + "&method=" + method, CSV,
                        good + row + "3,xyz,3,111\n");
                assertThat(abort.status()).as(method + " " + mode + ": " + abort.body()).isEqualTo(422);
                assertThat(abort.text("column")).as(method + " " + mode).isEqualTo(column);
                assertThat(abort.text("sqlState")).isEqualTo(expected);
                assertThat(abort.number("record")).isEqualTo(2);
                LoadClient.Response skip = this.client.load(items, "onError=skip&mode=" + mode + "&method=" + method,
                        CSV, good + row);
                assertThat(skip.status()).as(skip.body()).isEqualTo(200);
                JsonNode reject = skip.json().get("rejects").get(0);
                assertThat(reject.get("column").asString()).isEqualTo(column);
                assertThat(reject.get("sqlState").asString()).isEqualTo(expected);
                this.jdbc.sql("truncate " + items).update();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aTriggerFailingForOneRowWithAnUnclearSqlStateRejectsThatRow(String method) {
        String notes = this.tables.create("notes", "id int primary key, note text");
        String missing = "no_such_function_" + System.nanoTime();
        String trigger = notes + "_check";
        this.jdbc.sql("create function " + trigger + "() returns trigger language plpgsql as $$ begin "
                + "if new.note = 'boom' then perform " + missing + "(); end if; return new; end $$").update();
        this.jdbc.sql("create trigger check_note before insert on " + notes + " for each row execute function "
                + trigger + "()").update();
        String expected = this.postgres.sqlState("select " + missing + "()");
        assertThat(expected).isNotNull().doesNotStartWith("22").doesNotStartWith("23");
        String body = "id,note\n1,a\n2,boom\n3,b\n4,boom\n5,c\n";
        LoadClient.Response skip = this.client.load(notes, "onError=skip&method=" + method, CSV, body);
        assertThat(skip.status()).as(skip.body()).isEqualTo(200);
        assertThat(skip.number("rowsRejected")).isEqualTo(2);
        assertThat(skip.json().get("rejects").get(0).get("sqlState").asString()).isEqualTo(expected);
        assertThat(skip.json().get("rejects").get(1).get("record").asLong()).isEqualTo(4);
        assertThat(ids(notes)).containsExactly(1, 3, 5);
        LoadClient.Response abort = this.client.load(notes, "method=" + method, CSV, "id,note\n6,a\n7,boom\n");
        assertThat(abort.status()).as(abort.body()).isEqualTo(422);
        assertThat(abort.number("record")).isEqualTo(2);
        assertThat(abort.text("sqlState")).isEqualTo(expected);
        assertThat(ids(notes)).containsExactly(1, 3, 5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void anErrorEveryRowFailsWithIsTheLoadsNotThousandsOfRejects(String method) {
        String notes = this.tables.create("notes", "id int primary key, note text");
        String trigger = notes + "_broken";
        this.jdbc.sql("create function " + trigger + "() returns trigger language plpgsql as $$ begin perform "
                + "no_such_function_" + System.nanoTime() + "(); return new; end $$").update();
        this.jdbc.sql("create trigger broken before insert on " + notes + " for each row execute function " + trigger
                + "()").update();
        StringBuilder body = new StringBuilder("id,note\n");
        for (int i = 1; i <= 5000; i++) {
            body.append(i).append(",n").append(i).append('\n');
        }
        for (String query : List.of("onError=skip", "onError=skip&atomic=false", "")) {
            LoadClient.Response response = this.client.load(notes, query + "&method=" + method, CSV, body.toString());
            assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(500);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:internal-error");
            assertThat(ids(notes)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aColumnDroppedBetweenTheCatalogReadAndTheLoadIsStillA409(String method) {
        String items = this.tables.create("items", "id int primary key, note text, extra text");
        // the first load reads the definition, which the service keeps for the following loads
        assertThat(this.client.load(items, "method=" + method, CSV, "id,extra\n1,a\n").status()).isEqualTo(200);
        this.jdbc.sql("alter table " + items + " drop column extra").update();
        LoadClient.Response changed = this.client.load(items, "onError=skip&method=" + method, CSV,
                "id,extra\n2,b\n3,c\n4,d\n");
        assertThat(changed.status()).as(changed.body()).isEqualTo(409);
        assertThat(changed.text("type")).isEqualTo("urn:bulkload:problem:table-changed");
        assertThat(changed.text("sqlState")).isEqualTo(this.postgres.sqlState("insert into " + items
                + " (id, extra) values (2, 'b')"));
        assertThat(ids(items)).containsExactly(1);
        LoadClient.Response unknown = this.client.load(items, "onError=skip&method=" + method, CSV,
                "id,extra\n2,b\n");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.text("column")).isEqualTo("extra");
    }

    @Test
    void aColumnDroppedFromOneFieldSetOfManyIsA409NotRejectsOfThatSet() {
        String items = this.tables.create("items", "id int primary key, note text, extra text");
        String ndjson = "application/x-ndjson";
        assertThat(this.client.load(items, "", ndjson, "{\"id\":1,\"extra\":\"a\"}\n").status()).isEqualTo(200);
        this.jdbc.sql("alter table " + items + " drop column extra").update();
        LoadClient.Response changed = this.client.load(items, "method=batch", ndjson,
                "{\"id\":2,\"note\":\"n\"}\n{\"id\":3,\"extra\":\"b\"}\n{\"id\":4,\"note\":\"n\"}\n");
        assertThat(changed.status()).as(changed.body()).isEqualTo(409);
        assertThat(changed.text("type")).isEqualTo("urn:bulkload:problem:table-changed");
        assertThat(ids(items)).containsExactly(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void anUpdateOfAKeyNotInTheTableNamesTheKeyColumnUnderAbortAsUnderSkip(String method) {
        String items = this.tables.create("items", "id int primary key, note text");
        this.jdbc.sql("insert into " + items + " values (1, 'a')").update();
        String body = "id,note\n1,b\n2,c\n";
        LoadClient.Response abort = this.client.load(items, "mode=update&method=" + method, CSV, body);
        assertThat(abort.status()).as(abort.body()).isEqualTo(422);
        assertThat(abort.text("column")).isEqualTo("id");
        assertThat(abort.number("record")).isEqualTo(2);
        LoadClient.Response skip = this.client.load(items, "mode=update&onError=skip&method=" + method, CSV, body);
        assertThat(skip.status()).as(skip.body()).isEqualTo(200);
        assertThat(skip.json().get("rejects").get(0).get("column").asString()).isEqualTo("id");
    }

    private List<Integer> ids(String table) {
        return this.jdbc.sql("select id from " + table + " order by id").query(Integer.class).list();
    }

    /** The bit string as PostgreSQL's own bit varying, so only the column's length decides. */
    private static Object bitsOf(String text) {
        org.postgresql.util.PGobject bits = new org.postgresql.util.PGobject();
        bits.setType("varbit");
        try {
            bits.setValue(text);
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
        return bits;
    }

    private static String csvField(String value) {
        return value.contains("'") || value.contains(",") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
