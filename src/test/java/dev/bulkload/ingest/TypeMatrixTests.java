package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every type family, each with values PostgreSQL accepts and values it refuses, loaded by COPY and by batch, as
 * CSV and as JSON, and each value's fate compared with PostgreSQL's own for the same value: for CSV a
 * {@code COPY … FROM STDIN (FORMAT csv)} of the same record into a twin table; for JSON
 * {@code json_populate_record} of the same object inserted into the twin. A stored value must read back
 * ({@code ::text}) as PostgreSQL's does; a value PostgreSQL refuses must be a reject of its record, naming the
 * column, with a SQLSTATE of the same class. Nothing here hard-codes an answer: the server in use decides.
 * <p>
 * One table per type, one load per type, format and method holding all the values ({@code onError=skip}).
 */
@BulkLoaderTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeMatrixTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Written with no whitespace: json_populate_record keeps an object's text as written, the service compacts. */
    private static final List<String> JSON_VALUES_FOR_TEXT = List.of("1.50", "-0", "1e3", "true", "{\"a\":[1,null]}",
            "[1,\"x\"]");

    private static final List<Family> FAMILIES = List.of(
            new Family("integers", null, null,
                    column("smallint", "smallint",
                            texts("1", "-32768", "32767", "32768", "-32769", "0000000000000000000000000001", " 42 ", "+7",
                            "1.5", "abc", "", "1e2", "0x1F", "1_000", "\u0661"),
                            List.of("1", "-0", "1.0", "1e2", "true", "32768", "99999999999999999999")),
                    column("integer", "integer",
                            texts("2147483647", "2147483648", "-2147483648", "  -12  ", "12abc", "0o17", "00000000000000000000042"),
                            List.of("2147483647", "2147483648", "1.5", "-1E1", "false")),
                    column("bigint", "bigint",
                            texts("9223372036854775807", "9223372036854775808", "-9223372036854775808", "0b101", "1__0"),
                            List.of("9223372036854775807", "9223372036854775808", "123456789012345678901234567890"))),
            new Family("floats", null, null,
                    column("real", "real",
                            texts("1.5", "NaN", "Infinity", "-inf", "1e39", "1e-50", "0.1", " 3 ", "abc", "1,5"),
                            List.of("0.1", "1e38", "1e39", "-0.0", "3.4028235e38")),
                    column("double", "double precision",
                            texts("1.5", "nan", "-Infinity", "1e308", "1e309", "1e-400", "4.9e-324", "0x10", ".5", "5."),
                            List.of("0.1", "1e308", "1E-5", "-0.0", "123456789012345678901234567890"))),
            new Family("numeric", null, null,
                    column("numeric", "numeric",
                            texts("123.456", "1e3", "NaN", "Infinity", "-0.00", "1e-20", "abc", "1_000.5", ".", "+.5"),
                            List.of("1.50", "1e3", "123456789012345678901234567890.1234567890", "-0", "1E-3")),
                    column("numeric_5_2", "numeric(5,2)",
                            texts("123.456", "999.995", "999.994", "-999.99", "1e2", "Infinity", "NaN"),
                            List.of("1.005", "999.999", "12"))),
            new Family("boolean", null, null,
                    column("boolean", "boolean",
                            texts("t", "true", "yes", "on", "1", "0", "off", "TRUE", " true ", "maybe", "2", "y", "of"),
                            List.of("true", "false", "1", "0"))),
            new Family("datetime", null, null,
                    column("date", "date",
                            texts("2024-01-31", "2024-02-30", "01/02/2024", "epoch", "infinity", "20240131", "Jan 5 2024",
                            "2024-13-01", "5874897-12-31", "4714-11-24 BC", "J2451187", "2024-01-31 12:00"),
                            List.of("20240131", "2024")),
                    column("time", "time",
                            texts("12:34:56", "24:00:00", "24:00:01", "25:00", "12:34:56.1234567", "allballs", "1:2", "12.5"),
                            List.of("1234")),
                    column("timestamp", "timestamp",
                            texts("2024-01-31 12:00", "2024-01-31T12:00:00Z", "infinity", "-infinity", "2024-01-31 25:00",
                            "2024-01-31 12:00:00.1234567", "epoch", "294277-01-01"),
                            List.of()),
                    column("timestamptz", "timestamptz",
                            texts("2024-01-31 12:00+02", "2024-06-01 12:00 Europe/Paris", "2024-01-31 12:00 Mars/Olympus",
                            "2024-01-31 12:00:00+14:59", "2024-01-31 12:00:00+16", "1999-01-08 04:05:06 PST",
                            "2024-01-31"),
                            List.of()),
                    column("interval", "interval",
                            texts("1 day", "P1Y2M", "P1Y2M3DT4H5M6S", "1 fortnight", "01:02:03", "@ 1 hour ago",
                            "178000000 years", "1 day 2 days", "abc", "1.5 weeks"),
                            List.of("1", "1.5"))),
            new Family("uuid", null, null,
                    column("uuid", "uuid",
                            texts("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                            "A0EEBC999C0B4EF8BB6D6BB9BD380A11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "xyz",
                            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"),
                            List.of("1"))),
            new Family("character", null, null,
                    column("text", "text",
                            texts("plain", "a,b", "q\"u", "back\\slash", "NULL", "\\N", "  spaces  ", "multi\nline", "cr\rlf",
                            "\u00e9 \u00fc \ud83d\ude00", "", "tab\there", "{\"a\": 1}"),
                            JSON_VALUES_FOR_TEXT),
                    column("varchar", "varchar(5)",
                            texts("abcde", "abcdef", "abcde   ", "ab", "\u00e9\u00e9\u00e9\u00e9\u00e9", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"),
                            List.of("12345", "123456", "true")),
                    column("char", "char(3)",
                            texts("ab", "abc", "abcd", "abc   ", "", " a"),
                            List.of("1", "1234"))),
            new Family("bytea", null, null,
                    column("bytea", "bytea",
                            texts("\\x0102ff", "abc", "\\x0g", "\\001", "\\", "\\x", "\\X0A", "a\\\\b", "\\x 01"),
                            List.of("1"))),
            new Family("json", null, null,
                    column("json", "json",
                            texts("{\"a\": 1}", "[1,2]", "\"s\"", "1.50", "nul", "{bad", "", " true ", "{\"a\":1,\"a\":2}"),
                            List.of("{\"a\":1}", "[1,\"x\",null]", "1.50", "true", "{\"n\":{\"d\":[null,{}]}}", "\"\\u00e9\"")),
                    column("jsonb", "jsonb",
                            texts("{\"b\": 1, \"a\": [true]}", "[]", "1e3", "{\"a\":1,\"a\":2}", "nope", "\"\\ud800\""),
                            List.of("{\"a\":1,\"a\":2}", "[1e3]", "\"s\\\"q\"", "-0", "{}"))),
            new Family("network", null, null,
                    column("inet", "inet",
                            texts("192.168.0.1", "192.168.0.1/24", "::1", "::ffff:1.2.3.4/128", "300.1.1.1", "10.0.0.0/33",
                            "abc", "10.1"),
                            List.of()),
                    column("cidr", "cidr",
                            texts("10.0.0.0/8", "10.0.0.1/8", "::/0", "10.1", "192.168/16"),
                            List.of()),
                    column("macaddr", "macaddr",
                            texts("08:00:2b:01:02:03", "08-00-2b-01-02-03", "0800.2b01.0203", "08002b:010203",
                            "08:00:2b:01:02", "zz:00:2b:01:02:03"),
                            List.of())),
            new Family("arrays", null, null,
                    column("int_array", "integer[]",
                            texts("{1,2,3}", "{{1,2},{3,4}}", "{}", "{1,NULL}", "{1,x}", "1", "[0:1]={5,6}", "{{1},{2,3}}",
                            "{ 1 , 2 }"),
                            List.of("[1,2,3]", "[[1,2],[3,4]]", "[]", "[[]]", "[[],[]]", "[1,null]", "[1,\"2\"]", "[1,\"x\"]",
                            "1", "true", "{\"a\":1}", "[[1],[2,3]]", "[[1],2]", "[1.5]", "[1,[2]]", "[\" 3 \"]")),
                    column("text_array", "text[]",
                            texts("{\"a,b\",\"c\\\"d\",NULL,\"NULL\"}", "{a b}", "{a,{b}}", "{\"\"}", "{"),
                            List.of("[\"a,b\",\"q\\\"u\",\"b\\\\s\",\"{x}\",\" s \",\"NULL\",null,\"\",\"(p)\"]",
                            "[[\"a\"],[\"b\"]]", "[\"a\",[\"b\",1]]", "[1,true,{\"k\":1}]", "[]", "[\"\\u00e9\",\"\\t\"]")),
                    column("jsonb_array", "jsonb[]",
                            texts("{\"{\\\"a\\\":1}\"}", "{1,x}"),
                            List.of("[\"s\",{\"k\":1},[1,2],null,true]", "[[1,2],[3,4]]", "[\"{bad\"]")),
                    column("date_array", "date[]",
                            texts("{2024-01-01,infinity}"),
                            List.of("[\"2024-01-01\",\"2024-02-30\"]", "[\"epoch\",null]", "[20240101]"))),
            new Family("enum", "create type tm_mood_%s as enum ('sad', 'ok', 'happy')", null,
                    column("enum", "tm_mood_%s",
                            texts("ok", "OK", "happy ", "unknown", "", "sad"),
                            List.of("1", "true", "[\"ok\"]"))),
            new Family("domains", "create domain tm_posint_%s as integer check (value > 0)" + "; " + "create domain tm_pair_%s as integer[] check (cardinality(value) <= 2)" + "; " + "create domain tm_doc_%s as jsonb check (jsonb_typeof(value) <> 'array')" + "; " + "create domain tm_small_%s as smallint check (value < 100)", null,
                    column("domain", "tm_posint_%s",
                            texts("1", "0", "-1", "x", " 7 "),
                            List.of("5", "0", "2.5")),
                    column("domain_array", "tm_pair_%s",
                            texts("{1,2}", "{1,2,3}", "{}"),
                            List.of("[1,2]", "[1,2,3]", "[[1],[2]]", "[\"1\",\"x\"]", "1", "{\"a\":1}")),
                    column("domain_jsonb", "tm_doc_%s",
                            texts("{\"a\":1}", "[1]", "x"),
                            List.of("{\"a\":1}", "[1]", "\"x\"", "1")),
                    column("array_of_domain", "tm_small_%s[]",
                            texts("{1,2}", "{1,200}"),
                            List.of("[1,2]", "[1,200]", "[[1],[2]]"))),
            new Family("domain_not_null", "create domain tm_name_%s as text not null check (value <> '')", null,
                    column("domain_not_null", "tm_name_%s",
                            texts("x", "  ", ""),
                            List.of("1"))),
            new Family("composites", "create type tm_item_%s as (x integer, label text, tags text[])" + "; " + "create type tm_inner_%1$s as (x integer, label text); "
                            + "create type tm_outer_%1$s as (p tm_inner_%1$s, ps tm_inner_%1$s[], n numeric)" + "; " + "create type tm_kv_%s as (k text, v integer)" + "; " + "create type tm_xy_%1$s as (x integer, y integer); "
                            + "create domain tm_posxy_%1$s as tm_xy_%1$s check ((value).x > 0)", null,
                    column("composite", "tm_item_%s",
                            texts("(1,a,)", "(1,\"a,b\",\"{t,u}\")", "(x,a,)", "(1,a)", "()", "(1,a,{},extra)", " (2,b,) "),
                            List.of("{\"x\":1,\"label\":\"a \\\"b\\\", c\",\"tags\":[\"t,1\",null,\"NULL\"]}",
                            "{\"x\":\"2\"}", "{}", "{\"x\":\"y\"}", "[1]", "1", "true", "{\"tags\":1}",
                            "{\"tags\":\"{a,b}\",\"label\":null,\"other\":[1]}", "{\"x\":1,\"x\":2}",
                            "{\"label\":\"\\\\(y)\\\\\"}", "{\"label\":{\"k\":[1]}}")),
                    column("composite_nested", "tm_outer_%s",
                            texts("(\"(1,a)\",\"{}\",1.5)"),
                            List.of("{\"p\":{\"x\":1,\"label\":\"a,b\"},\"ps\":[{\"label\":\"(y)\"},null],\"n\":1.50}",
                            "{\"p\":null,\"ps\":[],\"n\":\"x\"}", "{\"ps\":[{\"x\":\"bad\"}]}",
                            "{\"ps\":{\"x\":1}}", "{\"p\":[1]}")),
                    column("composite_array", "tm_kv_%s[]",
                            texts("{\"(a,1)\",NULL}", "{(a,x)}"),
                            List.of("[{\"k\":\"a\",\"v\":1},null,{\"v\":2}]", "[[{\"k\":\"a\"}],[{\"k\":\"b\"}]]", "[1]",
                            "[{\"v\":\"x\"}]", "[\"(b,2)\"]")),
                    column("domain_composite", "tm_posxy_%s",
                            texts("(1,2)", "(-1,2)"),
                            List.of("{\"x\":1,\"y\":2}", "{\"x\":-1}", "{}", "[1,2]"))),
            new Family("tsvector", null, null,
                    column("tsvector", "tsvector",
                            texts("a fat cat", "'unterminated", "cat:0", "a:1A b:2", "fat:2,4 cat:3B", "'a b':1", "x:99999"),
                            List.of("1"))),
            new Family("point", null, null,
                    column("point", "point",
                            texts("(1,2)", "1,2", "(1,2", "(a,b)", " ( 1 , 2 ) ", "(1e400,2)"),
                            List.of("[1,2]", "{\"x\":1}", "1"))),
            new Family("money", null, null,
                    column("money", "money",
                            texts("12.34", "$1,000.00", "-1", "abc", "92233720368547758.08", "(5)", "1.005"),
                            List.of("12.34", "1e3", "-0.5"))),
            new Family("bit", null, null,
                    column("bit", "bit(3)",
                            texts("101", "10", "1010", "102", "x101", "b101"),
                            List.of("101", "1")),
                    column("varbit", "bit varying(4)",
                            texts("1", "10101", "", "xF"),
                            List.of("10", "10101"))),
            new Family("xml", null, null,
                    column("xml", "xml",
                            texts("<a>1</a>", "<a>", "plain text", "<?xml version=\"1.0\"?><a/>", "<a></b>", "&amp;", "&bad;"),
                            List.of("1"))),
            new Family("identity", null, null,
                    column("identity_by_default", "bigint generated by default as identity",
                            texts("5", "-1", "x", "9223372036854775807", "9223372036854775808"),
                            List.of("5", "1.5"))),
            new Family("generated", null, ", g integer generated always as (c_with_generated + 1) stored",
                    column("with_generated", "integer",
                            texts("5", "2147483647", "x"),
                            List.of("5", "2147483647"))));

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    String suffix;

    final Map<String, String> tables = new HashMap<>();

    final List<String> cleanup = new ArrayList<>();

    /** PostgreSQL's outcome for each value, per family and format: the same for COPY and batch. */
    final Map<String, List<Outcome>> oracle = new HashMap<>();

    @BeforeAll
    void createTables() {
        this.client = new LoadClient(this.port);
        this.suffix = COUNTER.incrementAndGet() + "_" + (System.nanoTime() % 100_000);
        for (Family family : FAMILIES) {
            if (family.setup() != null) {
                for (String statement : family.setup().replace("%s", "%1$s").formatted(this.suffix).split("; ")) {
                    this.jdbc.sql(statement).update();
                }
            }
            String table = "tm_" + family.name() + "_" + this.suffix;
            StringBuilder columns = new StringBuilder("id integer primary key");
            for (Column column : family.columns()) {
                columns.append(", ").append(column.sqlName()).append(' ').append(column.type().formatted(this.suffix));
            }
            if (family.extraColumns() != null) {
                columns.append(family.extraColumns());
            }
            this.jdbc.sql("create table public." + table + " (" + columns + ")").update();
            this.jdbc.sql("create table public." + table + "_twin (" + columns + ")").update();
            this.tables.put(family.name(), table);
            this.cleanup.add(table);
        }
    }

    @AfterAll
    void dropTablesAndTypes() {
        for (String table : this.cleanup) {
            this.jdbc.sql("drop table if exists public." + table + ", public." + table + "_twin").update();
        }
        this.jdbc.sql("""
                select string_agg(format('drop type if exists %I cascade', typname), '; ')
                from pg_type where typname like 'tm\\_%' and typname like '%' || :suffix and typtype in ('c', 'd', 'e')
                """).param("suffix", this.suffix).query(String.class).optional().ifPresent((drops) -> {
            for (String drop : drops.split("; ")) {
                this.jdbc.sql(drop).update();
            }
        });
    }

    static Stream<Arguments> loads() {
        List<Arguments> loads = new ArrayList<>();
        for (Family family : FAMILIES) {
            for (String format : List.of("csv", "json")) {
                for (String method : List.of("copy", "batch")) {
                    loads.add(Arguments.of(family.name(), format, method));
                }
            }
        }
        return loads.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("loads")
    void everyValueFaresAsInPostgresql(String name, String format, String method) {
        Family family = FAMILIES.stream().filter((f) -> f.name().equals(name)).findFirst().orElseThrow();
        String table = this.tables.get(name);
        this.jdbc.sql("truncate public." + table).update();
        List<Value> values = family.values(format);
        List<Outcome> expected = this.oracle.computeIfAbsent(name + " " + format,
                (k) -> format.equals("csv") ? copyOracle(table + "_twin", values) : jsonOracle(table + "_twin", values));

        LoadClient.Response response = this.client.load(table, "onError=skip&method=" + method,
                format.equals("csv") ? "text/csv" : "application/json", body(family, format, values));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rejectsTruncated").asBoolean()).isFalse();
        Map<Long, JsonNode> rejects = new HashMap<>();
        report.get("rejects").valueStream().forEach((reject) -> rejects.put(reject.get("record").asLong(), reject));
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(values.size());
        assertThat(report.get("rowsInserted").asLong() + report.get("rowsRejected").asLong()).isEqualTo(values.size());

        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < values.size(); i++) {
            long id = i + 1;
            Value value = values.get(i);
            Outcome postgres = expected.get(i);
            String what = value.column().name() + " " + format + " value " + value.text() + " (record " + id + ")";
            JsonNode reject = rejects.get(id);
            List<String> stored = this.jdbc
                .sql("select " + value.column().sqlName() + "::text from public." + table + " where id = " + id)
                .query((rs, n) -> rs.getString(1))
                .list();
            if (postgres.sqlState() == null) {
                softly.assertThat(reject).as(what + ": PostgreSQL stores " + postgres.text() + ", service rejects")
                    .isNull();
                softly.assertThat(stored).as(what).containsExactly(postgres.text());
            }
            else {
                softly.assertThat(stored).as(what + ": PostgreSQL refuses it (" + postgres.sqlState() + ")").isEmpty();
                softly.assertThat(reject).as(what + ": the reject of PostgreSQL's " + postgres.sqlState()).isNotNull();
                if (reject != null) {
                    // a generated column's expression fails for no column the record gave
                    if (family.extraColumns() == null || text(reject, "column") != null) {
                        softly.assertThat(text(reject, "column")).as(what + " column; " + reject)
                            .isEqualTo(value.column().sqlName());
                    }
                    String state = text(reject, "sqlState");
                    softly.assertThat((state != null) ? state.substring(0, 2) : null)
                        .as(what + " SQLSTATE class (PostgreSQL " + postgres.sqlState() + "); " + reject)
                        .isEqualTo(postgres.sqlState().substring(0, 2));
                }
            }
        }
        softly.assertAll();
    }

    /**
     * A GENERATED ALWAYS identity column takes a given value only with {@code overriding=system}, as PostgreSQL's
     * INSERT needs {@code OVERRIDING SYSTEM VALUE}; then the stored values are PostgreSQL's.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "csv, copy", "csv, batch", "json, copy", "json, batch" })
    void identityAlwaysTakesValuesOnlyWhenOverridingAsPostgresql(String format, String method) {
        String table = new dev.bulkload.TestTables(this.jdbc).create("tm_identity_always",
                "id integer primary key, v bigint generated always as identity");
        this.cleanup.add(table);
        String body = format.equals("csv") ? "id,v\n1,5\n2,-7\n" : "[{\"id\":1,\"v\":5},{\"id\":2,\"v\":\"-7\"}]";
        String contentType = format.equals("csv") ? "text/csv" : "application/json";
        String refused = new dev.bulkload.PostgresAnswers(this.dataSource)
            .sqlState("insert into public." + table + " (id, v) values (1, 5)");

        LoadClient.Response plain = this.client.load(table, "method=" + method, contentType, body);
        assertThat(refused).as("PostgreSQL refuses a value without OVERRIDING SYSTEM VALUE").isNotNull();
        assertThat(plain.status()).as(plain.body()).isEqualTo(400);
        assertThat(plain.text("column")).isEqualTo("v");

        LoadClient.Response overriding = this.client.load(table, "overriding=system&method=" + method, contentType,
                body);
        assertThat(overriding.status()).as(overriding.body()).isEqualTo(200);
        List<String> expected = new ArrayList<>();
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("create temp table twin (like public." + table + " including identity)");
                statement.execute("insert into twin (id, v) overriding system value values (1, '5'), (2, '-7')");
                try (ResultSet rs = statement.executeQuery("select v::text from twin order by id")) {
                    while (rs.next()) {
                        expected.add(rs.getString(1));
                    }
                }
            }
            connection.rollback();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        assertThat(this.jdbc.sql("select v::text from public." + table + " order by id").query(String.class).list())
            .containsExactlyElementsOf(expected);
    }

    /** Each CSV field through {@code COPY … FROM STDIN (FORMAT csv)} into the twin, alone, then rolled back. */
    private List<Outcome> copyOracle(String twin, List<Value> values) {
        return ask((connection, id, value) -> {
            connection.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("copy public." + twin + " (id, " + value.column().sqlName() + ") from stdin (format csv)",
                        new StringReader(id + "," + value.text() + "\n"));
        }, twin, values);
    }

    /** Each JSON value through {@code json_populate_record} of the same object, inserted into the twin. */
    private List<Outcome> jsonOracle(String twin, List<Value> values) {
        return ask((connection, id, value) -> {
            String column = value.column().sqlName();
            try (PreparedStatement insert = connection.prepareStatement("insert into public." + twin + " (id, "
                    + column + ") select id, " + column + " from json_populate_record(null::public." + twin
                    + ", cast(? as json))")) {
                insert.setString(1, "{\"id\":" + id + ",\"" + column + "\":" + value.text() + "}");
                insert.executeUpdate();
            }
        }, twin, values);
    }

    private List<Outcome> ask(Store store, String twin, List<Value> values) {
        List<Outcome> outcomes = new ArrayList<>();
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (int i = 0; i < values.size(); i++) {
                    Savepoint savepoint = connection.setSavepoint();
                    try {
                        store.store(connection, i + 1, values.get(i));
                        try (PreparedStatement select = connection.prepareStatement("select "
                                + values.get(i).column().sqlName() + "::text from public." + twin + " where id = ?")) {
                            select.setInt(1, i + 1);
                            try (ResultSet rs = select.executeQuery()) {
                                rs.next();
                                outcomes.add(new Outcome(rs.getString(1), null));
                            }
                        }
                    }
                    catch (SQLException ex) {
                        outcomes.add(new Outcome(null, ex.getSQLState()));
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                    connection.rollback(savepoint);
                }
            }
            finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        return outcomes;
    }

    /** CSV with every column, the record's own value in its column and the others empty (NULL); JSON with two keys. */
    private static String body(Family family, String format, List<Value> values) {
        boolean csv = format.equals("csv");
        StringBuilder body = new StringBuilder(csv ? "id" : "[");
        if (csv) {
            family.columns().forEach((column) -> body.append(',').append(column.sqlName()));
            body.append('\n');
        }
        for (int i = 0; i < values.size(); i++) {
            Value value = values.get(i);
            if (csv) {
                body.append(i + 1);
                for (Column column : family.columns()) {
                    body.append(',').append((column == value.column()) ? value.text() : "");
                }
                body.append('\n');
            }
            else {
                body.append((i > 0) ? ",\n" : "").append("{\"id\":").append(i + 1).append(",\"")
                    .append(value.column().sqlName()).append("\":").append(value.text()).append('}');
            }
        }
        return body.append(csv ? "" : "]").toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value == null || value.isNull()) ? null : value.asString();
    }

    private static List<String> texts(String... texts) {
        return List.of(texts);
    }

    /** Stores one value into the twin table, or fails as PostgreSQL does. */
    @FunctionalInterface
    private interface Store {

        void store(Connection connection, int id, Value value) throws SQLException, IOException;
    }

    /**
     * PostgreSQL's outcome for a value.
     * @param text what it stored, as {@code ::text} (null for SQL NULL)
     * @param sqlState the SQLSTATE it refused the value with, or null when it stored it
     */
    private record Outcome(String text, String sqlState) {
    }

    private static Column column(String name, String type, List<String> texts, List<String> json) {
        return new Column(name, type, texts, json);
    }

    /**
     * A family of types: a table with a column for each.
     * @param name the family's name, in the test's name and the table's
     * @param setup statements creating the types the columns use ({@code %s} stands for the run's suffix), separated
     *     by {@code "; "}, or null
     * @param extraColumns more column definitions after the family's columns, or null
     * @param columns the types tried
     */
    private record Family(String name, String setup, String extraColumns, List<Column> columns) {

        Family(String name, String setup, String extraColumns, Column... columns) {
            this(name, setup, extraColumns, List.of(columns));
        }

        /** Every column's values in the format, one record each. */
        List<Value> values(String format) {
            List<Value> values = new ArrayList<>();
            for (Column column : this.columns) {
                for (String text : format.equals("csv") ? column.csvFields() : column.jsonValues()) {
                    values.add(new Value(column, text));
                }
            }
            return values;
        }
    }

    /**
     * A record's value.
     * @param column the column it goes into
     * @param text the CSV field or JSON value as written
     */
    private record Value(Column column, String text) {
    }

    /**
     * A column type and the values tried on it.
     * @param name names the column ({@code c_name})
     * @param type the column type ({@code %s} stands for the run's suffix of types created by the family's setup)
     * @param texts text values: as CSV fields (quoted where CSV needs it), and as JSON strings
     * @param json JSON values besides the strings (numbers, booleans, arrays, objects), written compactly
     */
    private record Column(String name, String type, List<String> texts, List<String> json) {

        String sqlName() {
            return "c_" + this.name;
        }

        /** The texts as CSV fields, then an empty unquoted field (NULL). */
        List<String> csvFields() {
            List<String> fields = new ArrayList<>();
            for (String text : this.texts) {
                boolean quote = text.isEmpty() || text.chars().anyMatch((c) -> c == ',' || c == '"' || c == '\n'
                        || c == '\r');
                fields.add(quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text);
            }
            fields.add("");
            return fields;
        }

        /** The texts as JSON strings, the other JSON values, then null. */
        List<String> jsonValues() {
            List<String> values = new ArrayList<>();
            for (String text : this.texts) {
                values.add(JSON.writeValueAsString(text));
            }
            values.addAll(this.json);
            values.add("null");
            return values;
        }
    }
}
