package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/** JSON values land in json and jsonb columns as the same JSON value, and in text as before, over real HTTP. */
@BulkLoaderTest
class JsonColumnTests {

    /** One record per kind of JSON value, the same value in every column. */
    private static final List<String> VALUES = List.of("\"asd\"", "\"a\\\"b\\\\c\\n\"", "1.50",
            "123456789012345678901234567890", "true", "{\"a\": 1e3, \"b\": [1.50, \"x\", null]}", "[1, \"two\", {}]",
            "null");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
    }

    @ParameterizedTest
    @CsvSource({ "application/json, copy", "application/json, batch", "application/x-ndjson, copy",
            "application/x-ndjson, batch" })
    void jsonValuesLandInJsonColumnsAsThemselves(String contentType, String method) {
        String table = this.tables.create("json_columns", "id int primary key, doc jsonb, raw json, note text");
        StringBuilder body = new StringBuilder(contentType.equals("application/json") ? "[" : "");
        for (int i = 0; i < VALUES.size(); i++) {
            String value = VALUES.get(i);
            String record = "{\"id\": " + i + ", \"doc\": " + value + ", \"raw\": " + value + ", \"note\": " + value
                    + "}";
            body.append(contentType.equals("application/json") ? ((i > 0) ? ",\n" : "") + record : record + "\n");
        }
        body.append(contentType.equals("application/json") ? "]" : "");
        LoadClient.Response response = this.client.load(table, "method=" + method, contentType, body.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(VALUES.size());

        assertThat(stored(table, 0)).containsExactly("\"asd\"", "\"asd\"", "asd", true);
        assertThat(stored(table, 1)).containsExactly("\"a\\\"b\\\\c\\n\"", "\"a\\\"b\\\\c\\n\"", "a\"b\\c\n",
                true);
        assertThat(stored(table, 2)).containsExactly("1.50", "1.50", "1.50", true);
        assertThat(stored(table, 3)).containsExactly("123456789012345678901234567890",
                "123456789012345678901234567890", "123456789012345678901234567890", true);
        assertThat(stored(table, 4)).containsExactly("true", "true", "true", true);
        assertThat(stored(table, 5)).containsExactly("{\"a\": 1000, \"b\": [1.50, \"x\", null]}",
                "{\"a\":1e3,\"b\":[1.50,\"x\",null]}", "{\"a\":1e3,\"b\":[1.50,\"x\",null]}", true);
        assertThat(stored(table, 6)).containsExactly("[1, \"two\", {}]", "[1,\"two\",{}]", "[1,\"two\",{}]", true);
        assertThat(stored(table, 7)).containsExactly(null, null, null, null);
    }

    @Test
    void jsonbComparesByValueWhateverTheSpelling() {
        String table = this.tables.create("json_equality", "id int primary key, doc jsonb");
        LoadClient.Response response = this.client.load(table, "", "application/x-ndjson",
                "{\"id\": 1, \"doc\": \"asd\"}\n{\"id\": 2, \"doc\": 1.50}\n{\"id\": 3, \"doc\": {\"k\": [1e3]}}\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select doc = '\"asd\"'::jsonb from " + table + " where id = 1")
            .query(Boolean.class)
            .single()).isTrue();
        assertThat(this.jdbc.sql("select doc = '1.5'::jsonb from " + table + " where id = 2")
            .query(Boolean.class)
            .single()).isTrue();
        assertThat(this.jdbc.sql("select doc = '{\"k\": [1000]}'::jsonb from " + table + " where id = 3")
            .query(Boolean.class)
            .single()).isTrue();
    }

    @Test
    void csvTextIntoJsonbIsTheJsonTextAsBefore() {
        String table = this.tables.create("json_csv", "id int primary key, doc jsonb");
        LoadClient.Response response = this.client.load(table, "", "text/csv",
                "id,doc\n1,\"{\"\"a\"\": 1.50}\"\n2,\"\"\"asd\"\"\"\n3,42\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select doc::text from " + table + " order by id").query(String.class).list())
            .containsExactly("{\"a\": 1.50}", "\"asd\"", "42");
        response = this.client.load(table, "", "text/csv", "id,doc\n4,asd\n");
        assertThat(response.status()).as(response.body()).isEqualTo(422);
    }

    @Test
    void aJsonStringIntoJsonbIsNoLongerRefused() {
        String table = this.tables.create("json_string", "doc jsonb");
        LoadClient.Response response = this.client.load(table, "", "application/json", "[{\"doc\": \"asd\"}]");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select jsonb_typeof(doc) = 'string' and doc #>> '{}' = 'asd' from " + table)
            .query(Boolean.class)
            .single()).isTrue();
    }

    /** doc and raw as PostgreSQL renders them, note, and whether the stored json parses to the stored jsonb. */
    private List<Object> stored(String table, int id) {
        Map<String, Object> row = this.jdbc
            .sql("select doc::text as doc, raw::text as raw, note, raw::jsonb = doc as same from " + table
                    + " where id = :id")
            .param("id", id)
            .query()
            .singleRow();
        return java.util.Arrays.asList(row.get("doc"), row.get("raw"), row.get("note"), row.get("same"));
    }
}
