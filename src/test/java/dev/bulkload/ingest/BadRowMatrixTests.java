package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * The bad-row contract, exhaustively: every write mode, method, atomicity and onError policy against
 * every kind of bad record, each placed as record 2 of 3 between two good ones, with the exact HTTP
 * outcome and the exact table contents afterwards.
 */
@BulkLoaderTest
class BadRowMatrixTests {

    private static final String HEADER = "id,code,qty,parent_id,ext,ref";

    /**
     * Row 4 is touched by no record: it holds the code the update rows collide with, because records 1
     * and 3 of an update give rows 1 and 2 new codes and would otherwise free the value record 2 takes.
     */
    private static final List<String> SEEDED = List.of("1|a|1|1|e1|r1", "2|b|2|2|e2|r2", "3|c|3|3|e3|r3",
            "4|d|4|1|e4|r4");

    /** 9,000 incompressible characters: a btree index entry this large is refused (54000). */
    private static final String HUGE_CODE = randomAlphanumerics(9_000, 20_250_611L);

    private static final String[] SQL_TEXT = { "INSERT", "COPY", "SELECT", "at org." };

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    LoadClient client;

    String parents;

    String items;

    String curse;

    @BeforeEach
    void createTables() {
        this.client = new LoadClient(this.port);
        TestTables tables = new TestTables(this.jdbc);
        this.parents = tables.create("parents", "id int primary key");
        this.jdbc.sql("insert into " + this.parents + " values (1), (2), (3)").update();
        this.items = tables.create("items", "id int primary key, code text not null unique, "
                + "qty int not null check (qty >= 0), parent_id int references " + this.parents + " (id), "
                + "ext text unique, ref text unique deferrable initially deferred");
        this.curse = this.items + "_curse";
        this.jdbc.sql("""
                create function %s() returns trigger language plpgsql as $$
                begin
                    if new.qty = 666 then
                        raise exception 'qty 666 is cursed';
                    end if;
                    return new;
                end
                $$""".formatted(this.curse)).update();
        this.jdbc.sql("create trigger curse before insert or update on " + this.items
                + " for each row execute function " + this.curse + "()").update();
        this.jdbc.sql("insert into " + this.items + " values (1, 'a', 1, 1, 'e1', 'r1'), (2, 'b', 2, 2, 'e2', 'r2'), "
                + "(3, 'c', 3, 3, 'e3', 'r3'), (4, 'd', 4, 1, 'e4', 'r4')").update();
    }

    /** Hundreds of cases would otherwise leave their tables in the database every other test lists. */
    @AfterEach
    void dropTables() {
        new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
            this.jdbc.sql("set local lock_timeout = '10s'").update();
            this.jdbc.sql("drop table if exists " + this.items + ", " + this.parents).update();
            this.jdbc.sql("drop function if exists " + this.curse + "()").update();
        });
    }

    static Stream<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        for (String mode : List.of("insert", "upsert", "ignore", "update")) {
            for (String method : List.of("copy", "batch")) {
                for (boolean atomic : List.of(true, false)) {
                    for (String onError : List.of("abort", "skip")) {
                        for (Kind kind : Kind.values()) {
                            if (kind != Kind.NULL_KEY || !mode.equals("insert")) {
                                cases.add(new Case(mode, method, atomic, onError, kind, false, 0));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /** The same cells as NDJSON whose bad record 2 carries other fields than records 1 and 3. */
    static Stream<Case> mixedFieldSetMatrix() {
        return matrix().filter((c) -> !c.kind().malformed())
            .map((c) -> new Case(c.mode(), c.method(), c.atomic(), c.onError(), c.kind(), true, 0));
    }

    /**
     * The non-atomic insert cells written by 2 (copy) or 3 (batch) connections at once, a chunk per record; and the
     * modes that match keys, which refuse parallel above 1.
     */
    static Stream<Case> parallelMatrix() {
        List<Case> cases = new ArrayList<>();
        for (String method : List.of("copy", "batch")) {
            for (String onError : List.of("abort", "skip")) {
                for (Kind kind : Kind.values()) {
                    if (kind != Kind.NULL_KEY) {
                        cases.add(new Case("insert", method, false, onError, kind, false,
                                method.equals("copy") ? 2 : 3));
                    }
                }
                for (String mode : List.of("upsert", "ignore", "update")) {
                    cases.add(new Case(mode, method, false, onError, Kind.WRONG_TYPE, false, 2));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parallelMatrix")
    void badSecondRecordWrittenInParallel(Case c) {
        LoadClient.Response response = this.client.load(this.items, c.query(), "text/csv", c.csv());
        if (!c.mode().equals("insert")) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(value(response.json(), "parameter")).isEqualTo("parallel");
            assertThat(rows()).containsExactlyElementsOf(SEEDED);
            return;
        }
        // records 1 and 2 repeat a code: which of them the table keeps depends on which chunk commits first
        boolean eitherFirstOrSecond = c.kind() == Kind.UNIQUE_IN_PAYLOAD;
        List<String> written = new ArrayList<>(rows());
        written.removeAll(SEEDED);
        String first = String.join("|", c.firstRecord());
        String second = eitherFirstOrSecond ? String.join("|", c.secondRecordFields()) : null;
        String third = String.join("|", c.thirdRecord());
        List<String> possible = eitherFirstOrSecond ? List.of(first, second, third) : List.of(first, third);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(rows()).as("table contents").containsAll(SEEDED);
        softly.assertThat(written).as("rows written").isSubsetOf(possible).doesNotHaveDuplicates();
        JsonNode body = json(response);
        Object refused = (body == null) ? null
                : value(c.onError().equals("abort") ? body : body.path("rejects").path(0), "record");
        if (eitherFirstOrSecond) {
            softly.assertThat(refused).as("refused record").isIn(1L, 2L);
            softly.assertThat(written.contains(first) && written.contains(second)).as("both of " + written).isFalse();
        }
        else {
            softly.assertThat(refused).as("refused record").isEqualTo(2L);
        }
        if (c.onError().equals("abort")) {
            softly.assertThat(response.status()).as("status; body " + response.body())
                .isEqualTo(c.kind().abortStatus());
            if (body != null) {
                softly.assertThat(value(body, "type")).as("type").isEqualTo(c.kind().abortType());
                softly.assertThat(value(body, "rowsCommitted")).as("rowsCommitted")
                    .isEqualTo((long) written.size());
                softly.assertThat(String.valueOf(value(body, "detail"))).as("detail").doesNotContain(SQL_TEXT);
            }
        }
        else {
            softly.assertThat(response.status()).as("status; body " + response.body()).isEqualTo(200);
            if (body != null && response.status() == 200) {
                softly.assertThat(counts(body)).as("counts").isEqualTo(counts(3, 2, 0, 0, 1));
                softly.assertThat(body.path("rejects").size()).as("rejects").isEqualTo(1);
                softly.assertThat(written).as("rows written").hasSize(2);
                if (!eitherFirstOrSecond) {
                    softly.assertThat(rows()).as("table contents").containsExactlyElementsOf(c.expectedRowsAfterSkip());
                    softly.assertThat(value(body.path("rejects").path(0), "sqlState")).as("reject sqlState")
                        .isEqualTo(c.kind().sqlState);
                }
            }
        }
        softly.assertThat(response.body()).as("body").doesNotContain("at org.", "\tat ");
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void badSecondRecord(Case c) {
        badSecondRecordOf(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mixedFieldSetMatrix")
    void badSecondRecordWithItsOwnFieldSet(Case c) {
        badSecondRecordOf(c);
    }

    private void badSecondRecordOf(Case c) {
        LoadClient.Response response = c.mixedFields()
                ? this.client.load(this.items, c.query(), "application/x-ndjson", c.ndjson())
                : this.client.load(this.items, c.query(), "text/csv", c.csv());
        if (c.onError().equals("abort")) {
            assertAbortedWithNothingWritten(c, response);
        }
        else {
            assertGoodRowsLoadedAndBadOneRejected(c, response);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void rejectsFromTheDatabaseAndFromTheReaderAreListedInRecordOrder(String method) {
        LoadClient.Response response = this.client.load(this.items, "onError=skip&method=" + method, "text/csv",
                readerAndDatabaseRejects());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(counts(report)).isEqualTo(counts(4, 2, 0, 0, 2));
        assertThat(rejectSummary(report.get("rejects"))).containsExactly("2@3:qty:22P02", "3@4:qty:null");
        assertThat(rows()).containsExactlyElementsOf(concat(SEEDED, "10|c10|5|1|e10|r10", "13|c13|7|3|e13|r13"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void tooManyRejectsListsThemInRecordOrderAndLeavesNothing(String method) {
        LoadClient.Response response = this.client.load(this.items, "onError=skip&maxErrors=1&method=" + method,
                "text/csv", readerAndDatabaseRejects());
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(value(problem, "type")).isEqualTo("urn:bulkload:problem:too-many-rejects");
        assertThat(rejectSummary(problem.get("rejects"))).containsExactly("2@3:qty:22P02", "3@4:qty:null");
        assertThat(rows()).containsExactlyElementsOf(SEEDED);
    }

    @ParameterizedTest(name = "upsert copy skip JSON: {0}")
    @EnumSource(names = { "WRONG_TYPE", "NOT_NULL", "NULL_KEY" })
    void jsonArrayRejectsNameTheRecordAndColumn(Kind kind) {
        String bad = switch (kind) {
            case WRONG_TYPE -> "{\"id\":11,\"code\":\"c11\",\"qty\":\"x\",\"parent_id\":2,\"ext\":\"e11\",\"ref\":\"r11\"}";
            case NOT_NULL -> "{\"id\":11,\"code\":null,\"qty\":6,\"parent_id\":2,\"ext\":\"e11\",\"ref\":\"r11\"}";
            default -> "{\"id\":11,\"code\":\"c11\",\"qty\":6,\"parent_id\":2,\"ext\":null,\"ref\":\"r11\"}";
        };
        String json = "[{\"id\":10,\"code\":\"c10\",\"qty\":5,\"parent_id\":1,\"ext\":\"e10\",\"ref\":\"r10\"}," + bad
                + ",{\"id\":12,\"code\":\"c12\",\"qty\":7,\"parent_id\":3,\"ext\":\"e12\",\"ref\":\"r12\"}]";
        String query = "mode=upsert&method=copy&onError=skip" + ((kind == Kind.NULL_KEY) ? "&key=ext" : "");
        LoadClient.Response response = this.client.load(this.items, query, "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(counts(report)).isEqualTo(counts(3, 2, 0, 0, 1));
        assertThat(report.get("rejects")).as(report.toString()).hasSize(1);
        JsonNode reject = report.get("rejects").get(0);
        assertThat(value(reject, "record")).isEqualTo(2L);
        assertThat(value(reject, "sqlState")).isEqualTo(kind.sqlState);
        assertThat(value(reject, "column")).isEqualTo(kind.column);
        assertThat(rows()).containsExactlyElementsOf(concat(SEEDED, "10|c10|5|1|e10|r10", "12|c12|7|3|e12|r12"));
    }

    private void assertAbortedWithNothingWritten(Case c, LoadClient.Response response) {
        Kind kind = c.kind();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(response.status()).as("status; body " + response.body()).isEqualTo(kind.abortStatus());
        softly.assertThat(response.contentType()).as("Content-Type").startsWith("application/problem+json");
        JsonNode problem = json(response);
        if (problem != null) {
            softly.assertThat(value(problem, "type")).as("type").isEqualTo(kind.abortType());
            softly.assertThat(value(problem, "record")).as("record").isEqualTo(2L);
            softly.assertThat(value(problem, "line")).as("line").isEqualTo(c.secondLine());
            if (kind.sqlState != null) {
                softly.assertThat(value(problem, "sqlState")).as("sqlState").isEqualTo(kind.sqlState);
            }
            if (kind.column != null || kind == Kind.FIELD_COUNT) {
                softly.assertThat(value(problem, "column")).as("column").isEqualTo(kind.column);
            }
            if (kind == Kind.CHECK) {
                softly.assertThat(value(problem, "constraint")).as("constraint").isEqualTo(this.items + "_qty_check");
            }
            softly.assertThat(value(problem, "rowsCommitted")).as("rowsCommitted").isEqualTo(0L);
            softly.assertThat(String.valueOf(value(problem, "detail"))).as("detail").doesNotContain(SQL_TEXT);
        }
        softly.assertThat(response.body()).as("body").doesNotContain("at org.", "\tat ");
        softly.assertThat(rows()).as("table contents").containsExactlyElementsOf(SEEDED);
        softly.assertAll();
    }

    private void assertGoodRowsLoadedAndBadOneRejected(Case c, LoadClient.Response response) {
        Kind kind = c.kind();
        boolean update = c.mode().equals("update");
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(response.status()).as("status; body " + response.body()).isEqualTo(200);
        JsonNode report = json(response);
        if (report != null && response.status() == 200) {
            softly.assertThat(counts(report)).as("counts")
                .isEqualTo(update ? counts(3, 0, 2, 0, 1) : counts(3, 2, 0, 0, 1));
            softly.assertThat(sumOfOutcomes(report)).as("inserted+updated+skipped+rejected")
                .isEqualTo(value(report, "rowsReceived"));
            JsonNode rejects = report.path("rejects");
            softly.assertThat(rejects.size()).as("number of rejects; " + rejects).isEqualTo(1);
            if (rejects.size() == 1) {
                JsonNode reject = rejects.get(0);
                softly.assertThat(value(reject, "record")).as("reject record").isEqualTo(2L);
                softly.assertThat(value(reject, "line")).as("reject line").isEqualTo(c.secondLine());
                softly.assertThat(value(reject, "sqlState")).as("reject sqlState").isEqualTo(kind.sqlState);
                if (kind.column != null || kind == Kind.FIELD_COUNT) {
                    softly.assertThat(value(reject, "column")).as("reject column").isEqualTo(kind.column);
                }
                if (kind == Kind.CHECK) {
                    softly.assertThat(value(reject, "constraint")).as("reject constraint")
                        .isEqualTo(this.items + "_qty_check");
                }
                if (kind != Kind.INVALID_UTF8) {
                    softly.assertThat(String.valueOf(value(reject, "raw"))).as("reject raw")
                        .isNotEmpty()
                        .isNotEqualTo("null");
                }
            }
        }
        softly.assertThat(rows()).as("table contents").containsExactlyElementsOf(c.expectedRowsAfterSkip());
        softly.assertAll();
    }

    /** Record 2 is refused by PostgreSQL (22P02), record 3 by the reader (two fields of six). */
    private static byte[] readerAndDatabaseRejects() {
        return (HEADER + "\n10,c10,5,1,e10,r10\n11,c11,x,2,e11,r11\n12,c12\n13,c13,7,3,e13,r13\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    private List<String> rows() {
        return this.jdbc.sql("select concat_ws('|', id, "
                + "case when length(code) > 40 then left(code, 8) || '...(' || length(code) || ' chars)' "
                + "else coalesce(code, 'null') end, qty, coalesce(parent_id::text, 'null'), "
                + "coalesce(ext, 'null'), coalesce(ref, 'null')) from " + this.items + " order by id")
            .query(String.class)
            .list();
    }

    private static JsonNode json(LoadClient.Response response) {
        try {
            return response.json();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /** A field as a Long, a String, or null when absent or JSON null, so failures print the value. */
    private static Object value(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        return value.isString() ? value.asString() : value.toString();
    }

    private static String counts(JsonNode report) {
        return "received=" + value(report, "rowsReceived") + " inserted=" + value(report, "rowsInserted")
                + " updated=" + value(report, "rowsUpdated") + " skipped=" + value(report, "rowsSkipped")
                + " rejected=" + value(report, "rowsRejected");
    }

    private static String counts(long received, long inserted, long updated, long skipped, long rejected) {
        return "received=" + received + " inserted=" + inserted + " updated=" + updated + " skipped=" + skipped
                + " rejected=" + rejected;
    }

    private static Long sumOfOutcomes(JsonNode report) {
        long sum = 0;
        for (String field : List.of("rowsInserted", "rowsUpdated", "rowsSkipped", "rowsRejected")) {
            if (!(value(report, field) instanceof Long count)) {
                return null;
            }
            sum += count;
        }
        return sum;
    }

    private static List<String> rejectSummary(JsonNode rejects) {
        assertThat(rejects).as("rejects").isNotNull();
        return rejects.valueStream()
            .map((r) -> value(r, "record") + "@" + value(r, "line") + ":" + value(r, "column") + ":"
                    + value(r, "sqlState"))
            .toList();
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static String randomAlphanumerics(int length, long seed) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** What is wrong with record 2, and what the contract says about it. */
    enum Kind {

        WRONG_TYPE("wrong type", "22P02", "qty"),
        NOT_NULL("NOT NULL", "23502", "code"),
        CHECK("CHECK", "23514", "qty"),
        FOREIGN_KEY("foreign key", "23503", "parent_id"),
        UNIQUE_IN_TABLE("unique against the table", "23505", "code"),
        UNIQUE_IN_PAYLOAD("unique within the payload", "23505", "code"),
        NULL_KEY("NULL key", "23502", "ext"),
        FIELD_COUNT("wrong field count", null, "qty"),
        INVALID_UTF8("invalid UTF-8", null, null),
        INDEX_ROW_TOO_LARGE("index row too large", "54000", null),
        RAISING_TRIGGER("raising trigger", "P0001", null),
        DEFERRED_UNIQUE("deferred unique", "23505", "ref");

        final String label;

        /** The SQLSTATE reported, null for a record the reader refuses. */
        final String sqlState;

        /**
         * The column reported, where the contract names one: the only column of a violated CHECK, foreign key or
         * unique key too, with abort as with skip.
         */
        final String column;

        Kind(String label, String sqlState, String column) {
            this.label = label;
            this.sqlState = sqlState;
            this.column = column;
        }

        boolean malformed() {
            return this == FIELD_COUNT || this == INVALID_UTF8;
        }

        int abortStatus() {
            return malformed() ? 400 : 422;
        }

        String abortType() {
            return "urn:bulkload:problem:" + (malformed() ? "malformed-payload" : "row-rejected");
        }

        @Override
        public String toString() {
            return this.label;
        }
    }

    /**
     * One cell of the matrix.
     * @param mode the write mode
     * @param method copy or batch
     * @param atomic one transaction or a commit per chunk
     * @param onError abort or skip
     * @param kind what is wrong with record 2
     * @param mixedFields NDJSON whose record 2 leaves out a column records 1 and 3 carry (else CSV)
     * @param parallel connections writing at once, a chunk per record; 0 for the default (one chunk, one connection)
     */
    record Case(String mode, String method, boolean atomic, String onError, Kind kind, boolean mixedFields,
            int parallel) {

        private static final List<String> COLUMNS = List.of(HEADER.split(","));

        /** The line record 2 starts on: after the CSV header, or the second NDJSON line. */
        long secondLine() {
            return this.mixedFields ? 2L : 3L;
        }

        /** The records as NDJSON; record 2 without a column its kind does not spoil. */
        byte[] ndjson() {
            String left = (this.kind == Kind.FOREIGN_KEY) ? "ref" : "parent_id";
            String body = object(firstRecord(), null) + object(secondRecordFields(), left) + object(thirdRecord(), null);
            return body.getBytes(StandardCharsets.UTF_8);
        }

        private static String object(List<String> fields, String leftOut) {
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < COLUMNS.size(); i++) {
                if (COLUMNS.get(i).equals(leftOut)) {
                    continue;
                }
                String value = fields.get(i);
                json.append((json.length() > 1) ? "," : "").append('"').append(COLUMNS.get(i)).append("\":");
                if (value.isEmpty()) {
                    json.append("null");
                }
                else if (value.matches("-?[0-9]+")) {
                    json.append(value);
                }
                else {
                    json.append('"').append(value).append('"');
                }
            }
            return json.append("}\n").toString();
        }

        String query() {
            return "mode=" + this.mode + "&method=" + this.method + "&atomic=" + this.atomic + "&onError="
                    + this.onError + ((this.kind == Kind.NULL_KEY) ? "&key=ext" : "")
                    + ((this.parallel > 0) ? "&batchSize=1&parallel=" + this.parallel : "");
        }

        boolean update() {
            return this.mode.equals("update");
        }

        /** Insert-like modes add ids 10 and 12; update changes rows 1 and 2 (new codes, same ext and ref). */
        List<String> firstRecord() {
            return update() ? List.of("1", "a1", "5", "1", "e1", "r1") : List.of("10", "c10", "5", "1", "e10", "r10");
        }

        List<String> thirdRecord() {
            return update() ? List.of("2", "b2", "7", "3", "e2", "r2") : List.of("12", "c12", "7", "3", "e12", "r12");
        }

        /** Record 2 before it is spoiled: a new id 11, or (update) a change to row 3; good on its own. */
        List<String> secondRecordUnspoiled() {
            return update() ? List.of("3", "c3", "6", "2", "e3", "r3") : List.of("11", "c11", "6", "2", "e11", "r11");
        }

        byte[] csv() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes((HEADER + "\n" + String.join(",", firstRecord()) + "\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(secondRecord());
            body.writeBytes((String.join(",", thirdRecord()) + "\n").getBytes(StandardCharsets.UTF_8));
            return body.toByteArray();
        }

        private byte[] secondRecord() {
            if (this.kind == Kind.INVALID_UTF8) {
                List<String> fields = secondRecordUnspoiled();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                line.writeBytes((fields.get(0) + ",c").getBytes(StandardCharsets.UTF_8));
                line.writeBytes(new byte[] { (byte) 0xC3, (byte) 0x28 });
                line.writeBytes(("x," + String.join(",", fields.subList(2, 6)) + "\n").getBytes(StandardCharsets.UTF_8));
                return line.toByteArray();
            }
            return (String.join(",", secondRecordFields()) + "\n").getBytes(StandardCharsets.UTF_8);
        }

        /** Record 2's fields, spoiled by its kind (not for invalid UTF-8, which is spoiled bytes). */
        List<String> secondRecordFields() {
            List<String> fields = new ArrayList<>(secondRecordUnspoiled());
            switch (this.kind) {
                case WRONG_TYPE -> fields.set(2, "x");
                case NOT_NULL -> fields.set(1, "");
                case CHECK -> fields.set(2, "-1");
                case FOREIGN_KEY -> fields.set(3, "999");
                // insert-like modes leave row 1's 'a' alone; update gives row 1 a new code, row 4 keeps 'd'
                case UNIQUE_IN_TABLE -> fields.set(1, update() ? "d" : "a");
                case UNIQUE_IN_PAYLOAD -> fields.set(1, firstRecord().get(1));
                case NULL_KEY -> fields.set(4, "");
                case FIELD_COUNT -> fields = fields.subList(0, 2);
                case INVALID_UTF8 -> throw new IllegalStateException("spoiled as bytes");
                case INDEX_ROW_TOO_LARGE -> fields.set(1, HUGE_CODE);
                case RAISING_TRIGGER -> fields.set(2, "666");
                case DEFERRED_UNIQUE -> fields.set(5, "r1");
            }
            return fields;
        }

        List<String> expectedRowsAfterSkip() {
            String first = String.join("|", firstRecord());
            String third = String.join("|", thirdRecord());
            if (update()) {
                return List.of(first, third, SEEDED.get(2), SEEDED.get(3));
            }
            return concat(SEEDED, first, third);
        }

        @Override
        public String toString() {
            return this.mode + " " + this.method + " atomic=" + this.atomic + " " + this.onError + ": " + this.kind
                    + (this.mixedFields ? " (NDJSON, record 2 with other fields)" : "")
                    + ((this.parallel > 0) ? " parallel=" + this.parallel + " batchSize=1" : "");
        }
    }
}
