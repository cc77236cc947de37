package dev.bulkload.ingest;

import static dev.bulkload.ingest.FieldMappingLoadTests.query;
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
 * JSON Pointers as map fields ({@code map=/user/id:user_id}): nested objects and array elements reach flat
 * columns in JSON arrays and NDJSON, with COPY and batch, abort and skip; what a pointer that finds nothing, or
 * finds an object, does; a key both loaded whole and pointed into.
 */
@BulkLoaderTest
class JsonPointerLoadTests {

    private static final String[] EVENT_MAP = { "map", "/event/id:event_id", "map", "/event/type:event_type", "map",
            "/user/id:user_id" };

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String events;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.events = this.tables.create("events", "id bigserial primary key, event_id bigint unique, event_type text, "
                + "user_id bigint not null default 0, first_sku text, payload jsonb, note text default 'none'");
    }

    static Stream<Arguments> formatsMethodsAndErrors() {
        return Stream.of("ndjson", "json")
            .flatMap((format) -> Stream.of("copy", "batch")
                .flatMap((method) -> Stream.of("abort", "skip").map((onError) -> Arguments.of(format, method, onError))));
    }

    @ParameterizedTest(name = "{0}, {1}, onError={2}")
    @MethodSource("formatsMethodsAndErrors")
    void nestedObjectsReachFlatColumns(String format, String method, String onError) {
        String ndjson = """
                {"event":{"id":1,"type":"buy","extra":{"deep":[1,2]}},"user":{"id":9,"name":"x"}}
                {"user":{"name":"no id"},"event":{"type":"view","id":2}}
                {"event":{"id":3},"user":"not an object"}
                """;
        LoadClient.Response response = load(format, query(EVENT_MAP) + "&method=" + method + "&onError=" + onError,
                ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(3);
        // a pointer that finds nothing leaves the column to its default, as an absent key does
        assertThat(rows("event_id || '|' || coalesce(event_type, '-') || '|' || user_id"))
            .containsExactly("1|buy|9", "2|view|0", "3|-|0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void arrayElementsAreReachedByIndex(String format) {
        String ndjson = """
                {"event":{"id":1},"items":[{"sku":"a"},{"sku":"b"}]}
                {"event":{"id":2},"items":[]}
                {"event":{"id":3},"items":{"0":{"sku":"key zero"}}}
                {"event":{"id":4}}
                """;
        LoadClient.Response response = load(format, query("map", "/event/id:event_id", "map", "/items/0/sku:first_sku"),
                ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        // "0" is an array's first element and an object's key "0" alike (RFC 6901)
        assertThat(rows("event_id || '|' || coalesce(first_sku, '-')")).containsExactly("1|a", "2|-", "3|key zero",
                "4|-");
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of("ndjson"), Arguments.of("json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aPointerFindingAnObjectForATextColumnRefusesTheRecordNamingTheColumn(String format) {
        String ndjson = """
                {"event":{"id":1,"type":"buy"}}
                {"event":{"id":2,"type":{"kind":"buy"}}}
                {"event":{"id":3,"type":["a"]}}
                """;
        String query = query("map", "/event/id:event_id", "map", "/event/type:event_type");
        LoadClient.Response abort = load(format, query, ndjson);
        assertThat(abort.status()).isEqualTo(400);
        assertThat(abort.text("column")).isEqualTo("event_type");
        assertThat(abort.number("record")).isEqualTo(2);
        assertThat(abort.text("detail")).contains("'/event/type' finds an object");
        assertThat(this.tables.count(this.events)).isZero();

        LoadClient.Response skip = load(format, query + "&onError=skip", ndjson);
        assertThat(skip.status()).as(skip.body()).isEqualTo(200);
        assertThat(skip.number("rowsInserted")).isEqualTo(1);
        assertThat(skip.number("rowsRejected")).isEqualTo(2);
        JsonNode rejects = skip.json().get("rejects");
        assertThat(rejects.get(0).get("column").asString()).isEqualTo("event_type");
        assertThat(rejects.get(1).get("message").asString()).contains("an array");
        assertThat(rejects.get(1).get("raw").asString()).contains("\"type\":[\"a\"]");
    }

    @Test
    void aPointerFindingAnObjectForAJsonColumnStoresIt() {
        LoadClient.Response response = load("ndjson", query("map", "/event/id:event_id", "map", "/event/data:payload"),
                "{\"event\":{\"id\":1,\"data\":{\"n\":1.50,\"tags\":[\"x\"]}}}\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rows("payload::text")).containsExactly("{\"n\": 1.50, \"tags\": [\"x\"]}");
    }

    @Test
    void aKeyBothLoadedWholeAndPointedIntoDoesBoth() {
        String ndjson = "{\"event\":{\"id\":1,\"type\":\"buy\"}}\n{\"event\":{\"id\":2}}\n";
        LoadClient.Response byName = load("json", query("map", "event:payload", "map", "/event/id:event_id"), ndjson);
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || payload::text")).containsExactly("1|{\"id\": 1, \"type\": \"buy\"}",
                "2|{\"id\": 2}");

        this.jdbc.sql("truncate " + this.events).update();
        LoadClient.Response byPointer = load("ndjson",
                query("map", "/event:payload", "map", "/event/id:event_id", "map", "/event/type:event_type"), ndjson);
        assertThat(byPointer.status()).as(byPointer.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || coalesce(event_type, '-') || '|' || payload::text"))
            .containsExactly("1|buy|{\"id\": 1, \"type\": \"buy\"}", "2|-|{\"id\": 2}");
    }

    @Test
    void escapedTokensReachKeysWithSlashesAndTildes() {
        LoadClient.Response response = load("ndjson", query("map", "/a~1b/id:event_id", "map", "/m~0n:note"),
                "{\"a/b\":{\"id\":5},\"m~n\":\"tilde\"}\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || note")).containsExactly("5|tilde");
    }

    @Test
    void keysThatPointersGoIntoAreNotUnknownButOtherKeysStillAre() {
        String ndjson = "{\"event\":{\"id\":1},\"user\":{\"id\":9},\"trace_id\":\"t\"}\n";
        LoadClient.Response rejected = load("ndjson", query(EVENT_MAP), ndjson);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.text("column")).isEqualTo("trace_id");

        LoadClient.Response ignored = load("ndjson", query(EVENT_MAP) + "&unknownFields=ignore", ndjson);
        assertThat(ignored.status()).as(ignored.body()).isEqualTo(200);
        assertThat(ignored.json().get("ignoredFields").toString()).isEqualTo("[\"trace_id\"]");
        assertThat(rows("event_id || '|' || user_id")).containsExactly("1|9");
    }

    @Test
    void aPointerAndAKeyMeetingOneColumnAre400NamingBoth() {
        String ndjson = "{\"user\":{\"id\":9},\"event_id\":1}\n{\"user_id\":7,\"event_id\":2}\n";
        LoadClient.Response response = load("ndjson", query("map", "/user/id:user_id"), ndjson);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("detail")).contains("'/user/id' and 'user_id'");
        assertThat(response.number("record")).isEqualTo(2);
    }

    @Test
    void aUploadedFileTakesPointersFromFormFields() {
        String boundary = "----pointer-test";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n/event/id:event_id\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n/user/id:user_id\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.ndjson\"\r\n\r\n"
                + "{\"event\":{\"id\":4},\"user\":{\"id\":2}}\n\r\n--" + boundary + "--\r\n";
        LoadClient.Response response = this.client.load(this.events, "method=batch",
                "multipart/form-data; boundary=" + boundary, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || user_id")).containsExactly("4|2");
        assertThat(response.json().get("options").get("map").toString())
            .isEqualTo("[\"/event/id:event_id\",\"/user/id:user_id\"]");
    }

    @Test
    void deepAndUpsertedPointersWorkStaged() {
        String ndjson = """
                {"e":{"a":{"b":{"c":{"id":1}}}},"t":"first"}
                {"e":{"a":{"b":{"c":{"id":1}}}},"t":"second"}
                """;
        LoadClient.Response response = load("json", query("map", "/e/a/b/c/id:event_id", "map", "t:event_type",
                "mode", "upsert", "key", "event_id"), ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || event_type")).containsExactly("1|second");
    }

    @Test
    void pointersReadTheRecordsThatRecordsPathFinds() {
        String json = "{\"page\":1,\"data\":[{\"event\":{\"id\":7},\"user\":{\"id\":3},\"trace\":\"x\"}],\"next\":null}";
        LoadClient.Response response = this.client.load(this.events,
                query("recordsPath", "/data", "map", "/event/id:event_id", "map", "/user/id:user_id", "unknownFields",
                        "ignore"),
                "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rows("event_id || '|' || user_id")).containsExactly("7|3");
        assertThat(response.json().get("ignoredFields").toString()).isEqualTo("[\"trace\"]");
        assertThat(response.json().get("options").get("recordsPath").asString()).isEqualTo("/data");
    }

    private LoadClient.Response load(String format, String query, String ndjson) {
        if (format.equals("json")) {
            return this.client.load(this.events, query, "application/json",
                    "[" + String.join(",", ndjson.strip().split("\n")) + "]");
        }
        return this.client.load(this.events, query, "application/x-ndjson", ndjson);
    }

    private List<String> rows(String expression) {
        return this.jdbc.sql("select " + expression + " from " + this.events + " order by event_id")
            .query(String.class)
            .list();
    }
}
