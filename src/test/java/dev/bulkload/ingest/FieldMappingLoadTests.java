package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Payloads as they come (issue 17): {@code map} renames and drops fields, {@code unknownFields=ignore} skips the
 * fields that are not columns, {@code match=loose} meets {@code E-mail Address} with {@code email_address}; with
 * CSV, JSON and NDJSON, raw and uploaded (options as form fields too), COPY and batch, abort and skip, atomic or
 * not, over real HTTP into PostgreSQL.
 */
@BulkLoaderTest
class FieldMappingLoadTests {

    private static final String RENAMED_CSV = "Full Name,E-mail Address,trace_id\nAnn,ann@x,t1\nBob,bob@x,t2\n";

    private static final String EVENT_NDJSON = """
            {"name":"Ann","email":"ann@x","_meta":{"source":"kafka","offsets":[1,2,{"deep":true}]},"trace_id":"t1"}
            {"trace_id":"t2","name":"Bob","email":"bob@x"}
            {"email":"cy@x","_meta":null,"name":"Cy","_meta2":[["x"]]}
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String users;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.users = this.tables.users();
    }

    static Stream<Arguments> methodsModesAndAtomicity() {
        return Stream.of("copy", "batch")
            .flatMap((method) -> Stream.of("insert", "upsert")
                .flatMap((mode) -> Stream.of("abort", "skip")
                    .flatMap((onError) -> Stream.of(true, false)
                        .map((atomic) -> Arguments.of(method, mode, onError, atomic)))));
    }

    @ParameterizedTest(name = "{0}, {1}, onError={2}, atomic={3}")
    @MethodSource("methodsModesAndAtomicity")
    void aRenamedCsvHeaderLoadsInEveryWay(String method, String mode, String onError, boolean atomic) {
        String query = query("map", "Full Name:name", "map", "E-mail Address:email", "map", "trace_id:", "method",
                method, "mode", mode, "onError", onError, "atomic", Boolean.toString(atomic))
                + (mode.equals("upsert") ? "&key=email" : "");
        LoadClient.Response response = this.client.load(this.users, query, "text/csv", RENAMED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(names()).containsExactly("Ann|ann@x", "Bob|bob@x");
        JsonNode options = response.json().get("options");
        assertThat(options.get("map").toString())
            .isEqualTo("[\"Full Name:name\",\"E-mail Address:email\",\"trace_id:\"]");
        // options the load used at their defaults are not listed
        assertThat(options.has("match")).isFalse();
        assertThat(options.has("unknownFields")).isFalse();
        assertThat(response.json().has("ignoredFields")).isFalse();
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of("ndjson", "application/x-ndjson"), Arguments.of("json", "application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void ignoredFieldsAreSkippedAndListedOnceInOrderOfFirstAppearance(String format, String contentType) {
        for (String method : List.of("copy", "batch")) {
            String table = this.tables.users();
            LoadClient.Response response = this.client.load(table, "unknownFields=ignore&method=" + method,
                    contentType, body(format, EVENT_NDJSON));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(3);
            assertThat(response.json().get("ignoredFields").toString())
                .isEqualTo("[\"_meta\",\"trace_id\",\"_meta2\"]");
            assertThat(response.json().get("options").get("unknownFields").asString()).isEqualTo("ignore");
            assertThat(this.jdbc.sql("select count(*) from " + table + " where email in ('ann@x','bob@x','cy@x')")
                .query(Long.class)
                .single()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void unknownFieldsAreRefusedByDefaultNamingTheField(String format, String contentType) {
        LoadClient.Response abort = this.client.load(this.users, "", contentType, body(format, EVENT_NDJSON));
        assertThat(abort.status()).isEqualTo(400);
        assertThat(abort.text("detail")).contains("Unknown column '_meta'").contains("unknownFields=ignore");
        assertThat(abort.text("column")).isEqualTo("_meta");
        assertThat(abort.number("record")).isEqualTo(1);
        assertThat(this.tables.count(this.users)).isZero();

        LoadClient.Response skip = this.client.load(this.users, "onError=skip", contentType, body(format, EVENT_NDJSON));
        assertThat(skip.status()).isEqualTo(200);
        assertThat(skip.number("rowsRejected")).isEqualTo(3);
        assertThat(skip.json().get("rejects").get(1).get("column").asString()).isEqualTo("trace_id");
    }

    @Test
    void droppedFieldsAreNeitherLoadedNorListed() {
        LoadClient.Response response = this.client.load(this.users,
                query("map", "_meta:", "map", "trace_id:", "map", "_meta2:"), "application/x-ndjson", EVENT_NDJSON);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(3);
        assertThat(response.json().has("ignoredFields")).isFalse();
    }

    @Test
    void ignoredValuesKeepTheirPlaceInTheRawTextOfRejects() {
        String json = "[{\"name\":\"Ann\",\"_meta\":{\"n\":1.50,\"a\":[true]},\"email\":null},"
                + "{\"name\":\"Bob\",\"email\":\"bob@x\",\"trace\":\"t\"}]";
        LoadClient.Response response = this.client.load(this.users, "unknownFields=ignore&onError=skip",
                "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(1);
        JsonNode reject = response.json().get("rejects").get(0);
        assertThat(reject.get("column").asString()).isEqualTo("email");
        assertThat(reject.get("raw").asString()).isEqualTo("{\"name\":\"Ann\",\"_meta\":{\"n\":1.50,\"a\":[true]},"
                + "\"email\":null}");
    }

    @Test
    void ignoredFieldsAreListedAtMostAHundred() {
        StringBuilder ndjson = new StringBuilder();
        List<String> extras = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            extras.add("x" + i);
            ndjson.append("{\"name\":\"n").append(i).append("\",\"email\":\"e").append(i).append("@x\",\"x").append(i)
                .append("\":").append(i).append(",\"x0\":0}\n");
        }
        LoadClient.Response response = this.client.load(this.users, "unknownFields=ignore", "application/x-ndjson",
                ndjson.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(150);
        List<String> listed = new ArrayList<>();
        response.json().get("ignoredFields").forEach((name) -> listed.add(name.asString()));
        assertThat(listed).containsExactlyElementsOf(extras.subList(0, 100));
    }

    @Test
    void looseMatchingMeetsHeadersWrittenAnyWay() {
        String csv = "NAME, Email ,Created-At\nAnn,ann@x,2024-01-02T03:04:05Z\n";
        LoadClient.Response exact = this.client.load(this.users, "", "text/csv", csv);
        assertThat(exact.status()).isEqualTo(400);
        assertThat(exact.text("detail")).contains("' Email '");

        LoadClient.Response loose = this.client.load(this.users, "match=loose", "text/csv", csv);
        assertThat(loose.status()).as(loose.body()).isEqualTo(200);
        assertThat(loose.json().get("options").get("match").asString()).isEqualTo("loose");
        assertThat(this.jdbc.sql("select name || '|' || email || '|' || extract(year from created_at at time zone 'UTC')"
                + " from " + this.users).query(String.class).single()).isEqualTo("Ann|ann@x|2024");
    }

    @Test
    void looseMatchingMeetsJsonKeysWrittenAnyWay() {
        String ndjson = "{\"Name\":\"Ann\",\"E-Mail\":\"ann@x\"}\n{\"E-Mail\":\"bob@x\",\"Name\":\"Bob\"}\n";
        LoadClient.Response response = this.client.load(this.users, "match=loose&method=batch",
                "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(names()).containsExactly("Ann|ann@x", "Bob|bob@x");
    }

    @Test
    void twoHeaderFieldsMeetingOneColumnAre400NamingBoth() {
        LoadClient.Response response = this.client.load(this.users, "match=loose", "text/csv",
                "name,email,E-mail\nAnn,a@x,b@x\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:malformed-payload");
        assertThat(response.text("detail")).contains("'email' and 'E-mail'");
        assertThat(response.text("column")).isEqualTo("email");
    }

    @Test
    void aSecondJsonKeyMeetingAnAlreadyMetColumnIs400NamingBothEvenWithSkip() {
        String ndjson = "{\"name\":\"Ann\",\"email\":\"a@x\"}\n{\"name\":\"Bob\",\"E-mail\":\"b@x\"}\n";
        for (String query : List.of("match=loose", "match=loose&onError=skip&atomic=false")) {
            LoadClient.Response response = this.client.load(this.users, query, "application/x-ndjson", ndjson);
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.text("detail")).contains("'email' and 'E-mail'");
            assertThat(response.number("record")).isEqualTo(2);
        }
    }

    @Test
    void anExplicitMapWinsOverLooseMatching() {
        String table = this.tables.create("contacts", "id bigserial primary key, email text, email_address text");
        LoadClient.Response response = this.client.load(table,
                query("match", "loose", "map", "E-mail Address:email"), "text/csv",
                "E-mail Address,EmailAddress\nmapped@x,matched@x\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select email || '|' || email_address from " + table).query(String.class).single())
            .isEqualTo("mapped@x|matched@x");
    }

    @Test
    void theOpenApiExampleMapLeavesAFileWithAPlainHeaderAsItIs() {
        LoadClient.Response response = this.client.load(this.users, query("map", "Full Name:name"), "text/csv",
                "name,email\nAnn,ann@x\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(1);
    }

    @Test
    void badMapsAre400NamingTheMapParameterBeforeAnythingIsLoaded() {
        assertInvalidMap(query("map", "Full Name:nom"), "'nom'");
        assertInvalidMap(query("map", "a:name", "map", "b:name"), "'a' and 'b'");
        assertInvalidMap(query("map", "no-colon"), "<field>:<column>");
        assertInvalidMap(query("map", "/a~9:name"), "JSON Pointer");
        LoadClient.Response pointerInCsv = this.client.load(this.users, query("map", "/user/name:name"), "text/csv",
                "name,email\nAnn,a@x\n");
        assertThat(pointerInCsv.status()).isEqualTo(400);
        assertThat(pointerInCsv.text("parameter")).isEqualTo("map");
        assertThat(pointerInCsv.text("detail")).contains("CSV");
        LoadClient.Response badMatch = this.client.load(this.users, "match=fuzzy", "text/csv", "name,email\n");
        assertThat(badMatch.text("parameter")).isEqualTo("match");
        assertThat(badMatch.text("detail")).isEqualTo("match must be one of [exact, loose]");
        LoadClient.Response badUnknown = this.client.load(this.users, "unknownFields=drop", "text/csv", "name,email\n");
        assertThat(badUnknown.text("parameter")).isEqualTo("unknownFields");
        assertThat(this.tables.count(this.users)).isZero();
    }

    private void assertInvalidMap(String query, String detail) {
        LoadClient.Response response = this.client.load(this.users, query, "application/x-ndjson",
                "{\"name\":\"Ann\",\"email\":\"a@x\"}\n");
        assertThat(response.status()).as(query).isEqualTo(400);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(response.text("parameter")).isEqualTo("map");
        assertThat(response.text("detail")).contains(detail);
    }

    @Test
    void anUploadTakesTheMappingFromTheQueryOrFromFormFieldsBeforeTheFile() {
        LoadClient.Response fromQuery = upload(this.users,
                query("map", "Full Name:name", "map", "E-mail Address:email", "unknownFields", "ignore"), Map.of(),
                "renamed.csv", RENAMED_CSV);
        assertThat(fromQuery.status()).as(fromQuery.body()).isEqualTo(200);
        assertThat(fromQuery.json().get("ignoredFields").toString()).isEqualTo("[\"trace_id\"]");

        String second = this.tables.users();
        LoadClient.Response fromForm = upload(second, "method=batch",
                Map.of("map", List.of("Full Name:name", "E-mail Address:email"), "unknownFields", List.of("ignore")),
                "renamed.csv", RENAMED_CSV);
        assertThat(fromForm.status()).as(fromForm.body()).isEqualTo(200);
        assertThat(fromForm.number("rowsInserted")).isEqualTo(2);
        assertThat(fromForm.json().get("options").get("map").size()).isEqualTo(2);
        assertThat(fromForm.text("method")).isEqualTo("batch");

        String third = this.tables.users();
        LoadClient.Response ndjson = upload(third, query("map", "_meta:"),
                Map.of("map", List.of("trace_id:", "_meta2:")), "events.ndjson", EVENT_NDJSON);
        assertThat(ndjson.status()).as(ndjson.body()).isEqualTo(200);
        assertThat(ndjson.json().get("options").get("map").toString())
            .isEqualTo("[\"_meta:\",\"trace_id:\",\"_meta2:\"]");
    }

    @Test
    void anOptionGivenOnceButBothInTheQueryAndTheFormIs400() {
        LoadClient.Response response = upload(this.users, "unknownFields=reject",
                Map.of("unknownFields", List.of("ignore")), "renamed.csv", RENAMED_CSV);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("unknownFields");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void theRegistryShowsTheMappingALoadUsed() {
        LoadClient.Response response = this.client.load(this.users,
                query("map", "Full Name:name", "map", "E-mail Address:email", "unknownFields", "ignore", "match",
                        "loose"),
                "text/csv", RENAMED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode options = this.client.get("/api/v1/loads/" + response.text("id")).json().get("options");
        assertThat(options.get("map").toString()).isEqualTo("[\"Full Name:name\",\"E-mail Address:email\"]");
        assertThat(options.get("match").asString()).isEqualTo("loose");
        assertThat(options.get("unknownFields").asString()).isEqualTo("ignore");
        assertThat(options.get("onError").asString()).isEqualTo("abort");
    }

    @Test
    void aMappingChangesTheIdempotencyFingerprintAndTheSameMappingReplays() {
        String key = "\"mapping-" + System.nanoTime() + "\"";
        String query = query("map", "Full Name:name", "map", "E-mail Address:email", "map", "trace_id:");
        LoadClient.Response first = this.client.load(this.users, query, "text/csv", RENAMED_CSV, "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        LoadClient.Response again = this.client.load(this.users, query, "text/csv", RENAMED_CSV, "Idempotency-Key", key);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        LoadClient.Response other = this.client.load(this.users, query + "&match=loose", "text/csv", RENAMED_CSV,
                "Idempotency-Key", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        assertThat(this.tables.count(this.users)).isEqualTo(2);
    }

    @Test
    void mixedFieldSetsWithIgnoredFieldsStageAndMergeByRecordOrder() {
        String ndjson = """
                {"id":1,"Full Name":"a","email":"a@x","x":1}
                {"id":2,"Full Name":"b","email":"b@x"}
                {"id":1,"Full Name":"a2","y":{"z":[1]}}
                {"id":3,"email":"c@x","Full Name":"c","x":[]}
                """;
        for (String method : List.of("copy", "batch")) {
            String table = this.tables.users();
            LoadClient.Response response = this.client.load(table,
                    query("map", "Full Name:name", "unknownFields", "ignore", "mode", "upsert", "method", method,
                            "batchSize", "2", "atomic", "false"),
                    "application/x-ndjson", ndjson);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(3);
            // the key written twice by this load: the later write counts as skipped (README, write modes)
            assertThat(response.number("rowsSkipped")).as(response.body()).isEqualTo(1);
            assertThat(response.json().get("ignoredFields").toString()).isEqualTo("[\"x\",\"y\"]");
            assertThat(this.jdbc.sql("select id || '|' || name || '|' || email from " + table + " order by id")
                .query(String.class)
                .list()).containsExactly("1|a2|a@x", "2|b|b@x", "3|c|c@x");
        }
    }

    @Test
    void aMappedFieldAndAnotherFieldMeetingItsColumnInLaterRecordsAre400NamingBoth() {
        LoadClient.Response response = this.client.load(this.users, query("map", "Full Name:name"),
                "application/x-ndjson", "{\"Full Name\":\"a\",\"email\":\"a@x\"}\n{\"name\":\"b\",\"email\":\"b@x\"}\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("detail")).contains("'Full Name' and 'name'");
        assertThat(response.number("record")).isEqualTo(2);
        assertThat(this.tables.count(this.users)).isZero();
    }

    private LoadClient.Response upload(String table, String query, Map<String, List<String>> fields, String filename,
            String content) {
        String boundary = "----mapping-test";
        StringBuilder body = new StringBuilder();
        fields.forEach((name, values) -> values.forEach((value) -> body.append("--").append(boundary)
            .append("\r\nContent-Disposition: form-data; name=\"")
            .append(name)
            .append("\"\r\n\r\n")
            .append(value)
            .append("\r\n")));
        body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
            .append(filename)
            .append("\"\r\n\r\n")
            .append(content)
            .append("\r\n--")
            .append(boundary)
            .append("--\r\n");
        return this.client.load(table, query, "multipart/form-data; boundary=" + boundary, body.toString());
    }

    private List<String> names() {
        return this.jdbc.sql("select name || '|' || email from " + this.users + " order by email")
            .query(String.class)
            .list();
    }

    private static String body(String format, String ndjson) {
        return format.equals("json") ? "[" + String.join(",", ndjson.strip().split("\n")) + "]" : ndjson;
    }

    /** A query string from name/value pairs, each value URL-encoded. */
    static String query(String... pairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            query.append((i == 0) ? "" : "&").append(pairs[i]).append('=')
                .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }
}
