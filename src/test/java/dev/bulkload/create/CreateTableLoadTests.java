package dev.bulkload.create;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * {@code create=true} over real HTTP into PostgreSQL: a table made from a CSV header or JSON keys, its types inferred
 * from the sample, {@code types=} and {@code key=}, in the load's transaction (or committed first with atomic=false),
 * a dry run that keeps nothing, an existing table left as it was, the allow-list, and headers and names that try to
 * inject SQL.
 */
@BulkLoaderTest
class CreateTableLoadTests {

    private static final AtomicInteger counter = new AtomicInteger();

    private static final String TYPED_CSV = """
            E-mail Address,Id,Score,Active,Born,Seen At,Token,Doc,Zip,Nothing,1st Place
            ann@x,1,1.5,true,1990-01-31,2024-05-01T10:00:00Z,6f1c2a0e-8f4b-4c1e-9a51-0b7c2d3e4f50,"{""a"":1}",01234,,x
            bob@x,2,2,FALSE,2000-02-29,2024-05-01 11:30,6f1c2a0e-8f4b-4c1e-9a51-0b7c2d3e4f51,"[1,2]",98765,,y
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = "created_" + counter.incrementAndGet() + "_" + System.nanoTime() % 100000;
    }

    @Test
    void aCsvHeaderMakesFoldedColumnsOfInferredTypesAndLoadsTheRows() {
        LoadClient.Response response = this.client.load(this.table, "create=true", "text/csv", TYPED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        JsonNode table = response.json().get("table");
        assertThat(table.get("name").asString()).isEqualTo("public." + this.table);
        assertThat(table.get("created").asBoolean()).isTrue();
        assertThat(columns(table)).containsExactly("E-mail Address>e_mail_address:text", "Id>id:bigint",
                "Score>score:numeric", "Active>active:boolean", "Born>born:date",
                "Seen At>seen_at:timestamp with time zone", "Token>token:uuid", "Doc>doc:jsonb", "Zip>zip:text",
                "Nothing>nothing:text", "1st Place>_1st_place:text");
        assertThat(table.get("statement").asString()).startsWith("CREATE TABLE \"public\".\"" + this.table + "\" (")
            .contains("\"e_mail_address\" text", "\"id\" bigint", "\"seen_at\" timestamptz");
        assertThat(databaseColumns()).containsExactly("e_mail_address:text", "id:bigint", "score:numeric",
                "active:boolean", "born:date", "seen_at:timestamp with time zone", "token:uuid", "doc:jsonb",
                "zip:text", "nothing:text", "_1st_place:text");
        assertThat(this.jdbc.sql("select zip || '|' || (doc ->> 0 is null) || '|' || born from public." + this.table
                + " order by id").query(String.class).list()).containsExactly("01234|true|1990-01-31",
                        "98765|false|2000-02-29");
        // the catalog knows the new table at once
        assertThat(this.client.get("/api/v1/tables/" + this.table).status()).isEqualTo(200);
    }

    @Test
    void jsonAndNdjsonKeysMakeColumnsTypedByTheirJsonValues() {
        String json = """
                [{"id": 1, "price": 9.5, "ok": true, "tags": ["a"], "when": "2024-01-02", "code": "007"},
                 {"id": 2, "price": 10, "ok": false, "meta": {"k": 1}, "when": "2024-01-03T04:05:06+02:00"}]""";
        LoadClient.Response response = this.client.load(this.table, "create=true", "application/json", json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("id:bigint", "price:numeric", "ok:boolean", "tags:jsonb",
                "when:timestamp with time zone", "code:text", "meta:jsonb");
        assertThat(this.jdbc.sql("select meta ->> 'k' from public." + this.table + " where id = 2")
            .query(String.class).single()).isEqualTo("1");
        String ndjson = this.table + "_nd";
        LoadClient.Response nd = this.client.load(ndjson, "create=true&key=id&mode=upsert", "application/x-ndjson",
                "{\"id\":\"6f1c2a0e-8f4b-4c1e-9a51-0b7c2d3e4f50\",\"n\":1}\n{\"id\":\"6f1c2a0e-8f4b-4c1e-9a51-0b7c2d3e4f50\",\"n\":2}\n");
        assertThat(nd.status()).as(nd.body()).isEqualTo(200);
        assertThat(databaseColumns(ndjson)).containsExactly("id:uuid", "n:bigint");
        assertThat(primaryKey(ndjson)).isEqualTo("id");
        assertThat(this.jdbc.sql("select n from public." + ndjson).query(Long.class).list()).containsExactly(2L);
    }

    @Test
    void typesOverrideTheInferredTypeAndAnUnknownTypeIsA400NamingIt() {
        LoadClient.Response response = this.client.load(this.table,
                "create=true&types=" + encode("Score:numeric(12,2)") + "&types=" + encode("id:integer")
                        + "&types=" + encode("seen_at:timestamp(0) without time zone"),
                "text/csv", TYPED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(databaseColumns()).contains("id:integer", "score:numeric(12,2)",
                "seen_at:timestamp(0) without time zone");
        assertThat(columns(response.json().get("table"))).contains("Score>score:numeric(12,2)");
        String other = this.table + "_bad";
        for (String bad : new String[] { "score:nosuchtype", "score:int); drop table x; --", "score:void",
                "score:\"text\"", "nosuchcolumn:text" }) {
            LoadClient.Response refused = this.client.load(other, "create=true&types=" + encode(bad), "text/csv",
                    TYPED_CSV);
            assertThat(refused.status()).as(bad + " " + refused.body()).isEqualTo(400);
            assertThat(refused.text("parameter")).isEqualTo("types");
            assertThat(refused.text("detail")).as(refused.body()).contains(bad.substring(0, bad.indexOf(':')));
            assertThat(exists(other)).as(bad).isFalse();
        }
    }

    @Test
    void keyMakesAPrimaryKeyInInsertModeAndADuplicateFailsAnAtomicLoadLeavingNoTable() {
        LoadClient.Response response = this.client.load(this.table, "create=true&key=Id", "text/csv", TYPED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(primaryKey(this.table)).isEqualTo("id");
        assertThat(response.json().get("table").get("statement").asString())
            .contains("\"id\" bigint NOT NULL", "PRIMARY KEY (\"id\")");
        String duplicated = this.table + "_dup";
        LoadClient.Response failed = this.client.load(duplicated, "create=true&key=id", "text/csv",
                "id,name\n1,a\n1,b\n");
        assertThat(failed.status()).as(failed.body()).isEqualTo(422);
        assertThat(exists(duplicated)).isFalse();
        LoadClient.Response unknownKey = this.client.load(duplicated, "create=true&key=nope", "text/csv",
                "id,name\n1,a\n");
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.text("parameter")).isEqualTo("key");
        assertThat(exists(duplicated)).isFalse();
    }

    @Test
    void aHostileHeaderOrTableNameCannotInjectAnything() {
        String victim = new TestTables(this.jdbc).create("victim", "id int");
        String longName = "x".repeat(300);
        String csv = "\"a\"\"); DROP TABLE " + victim + "; --\",\"b;c\",\"" + longName + "\",'quoted'\n1,2,3,4\n";
        LoadClient.Response response = this.client.load(this.table, "create=true", "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("a_drop_table_" + victim + ":bigint", "b_c:bigint",
                "x".repeat(63) + ":bigint", "quoted:bigint");
        assertThat(exists(victim)).isTrue();
        String hostileTable = "t\"; DROP TABLE " + victim + "; --";
        LoadClient.Response named = this.client.load(hostileTable, "create=true", "application/json",
                "[{\"\\\"); DROP TABLE " + victim + "; --\": 1}]");
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        assertThat(exists(victim)).isTrue();
        assertThat(this.jdbc.sql("select count(*) from public.\"t\"\"; DROP TABLE " + victim + "; --\"")
            .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aHeaderHoldingNulIsRefusedAndCreatesNothing() {
        LoadClient.Response csv = this.client.load(this.table, "create=true", "text/csv", "a\u0000b,c\n1,2\n");
        assertThat(csv.status()).as(csv.body()).isEqualTo(400);
        LoadClient.Response json = this.client.load(this.table, "create=true", "application/json",
                "[{\"a\\u0000b\": 1}]");
        assertThat(json.status()).as(json.body()).isIn(400, 422);
        assertThat(exists(this.table)).isFalse();
    }

    @Test
    void createSampleRowsAndTypesArriveAsFormFieldsOfAnUpload() {
        String boundary = "----create-test";
        StringBuilder body = new StringBuilder();
        for (String[] field : new String[][] { { "create", "true" }, { "sampleRows", "5" },
                { "types", "n:smallint" }, { "types", "label:varchar(20)" } }) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(field[0])
                .append("\"\r\n\r\n").append(field[1]).append("\r\n");
        }
        body.append("--").append(boundary)
            .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rows.ndjson\"\r\n\r\n")
            .append("{\"n\":1,\"label\":\"a\"}\n{\"n\":2,\"label\":\"b\"}\n\r\n--").append(boundary).append("--\r\n");
        LoadClient.Response response = this.client.load(this.table, "", "multipart/form-data; boundary=" + boundary,
                body.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("n:smallint", "label:character varying(20)");
        assertThat(response.json().get("options").get("sampleRows").asInt()).isEqualTo(5);
    }

    @Test
    void aRecordAfterTheSampleThatDoesNotFitIsARowErrorNamingTheColumn() {
        String csv = "id,name\n1,a\n2,b\nthree,c\n4,d\n";
        LoadClient.Response aborted = this.client.load(this.table, "create=true&sampleRows=2", "text/csv", csv);
        assertThat(aborted.status()).as(aborted.body()).isEqualTo(422);
        assertThat(aborted.text("column")).isEqualTo("id");
        assertThat(aborted.number("record")).isEqualTo(3);
        assertThat(exists(this.table)).isFalse();
        LoadClient.Response skipped = this.client.load(this.table, "create=true&sampleRows=2&onError=skip",
                "text/csv", csv);
        assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
        assertThat(skipped.number("rowsInserted")).isEqualTo(3);
        assertThat(skipped.number("rowsRejected")).isEqualTo(1);
        assertThat(skipped.json().get("rejects").get(0).get("column").asString()).isEqualTo("id");
        assertThat(databaseColumns()).containsExactly("id:bigint", "name:text");
    }

    @Test
    void aNonAtomicCreateKeepsTheTableWhenTheLoadFails() {
        String csv = "id,name\n1,a\n2,b\nthree,c\n";
        LoadClient.Response failed = this.client.load(this.table, "create=true&sampleRows=2&atomic=false&batchSize=1",
                "text/csv", csv);
        assertThat(failed.status()).as(failed.body()).isEqualTo(422);
        assertThat(exists(this.table)).isTrue();
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(2);
        // the table exists now: create=true changes nothing, and the rows load into it
        LoadClient.Response again = this.client.load(this.table, "create=true", "text/csv", "id,name\n5,e\n");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("table").get("created").asBoolean()).isFalse();
        assertThat(again.json().get("table").has("statement")).isFalse();
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(3);
    }

    @Test
    void aDryRunShowsTheStatementAndColumnsAndKeepsNothing() {
        LoadClient.Response response = this.client.load(this.table, "create=true&dryRun=true", "text/csv", TYPED_CSV);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode table = response.json().get("table");
        assertThat(table.get("created").asBoolean()).isTrue();
        assertThat(table.get("statement").asString()).startsWith("CREATE TABLE \"public\".\"" + this.table + "\"");
        assertThat(table.get("columns").get(0).get("field").asString()).isEqualTo("E-mail Address");
        assertThat(table.get("columns").get(0).get("column").asString()).isEqualTo("e_mail_address");
        assertThat(table.get("columns").get(0).get("type").asString()).isEqualTo("text");
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(exists(this.table)).isFalse();
        assertThat(this.client.get("/api/v1/tables/" + this.table).status()).isEqualTo(404);
    }

    @Test
    void anExistingTableIsLeftAsItWas() {
        String users = new TestTables(this.jdbc).users();
        List<String> before = databaseColumns(users);
        LoadClient.Response response = this.client.load(users, "create=true&key=email", "text/csv",
                "name,email\nAnn,ann@x\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("table").get("name").asString()).isEqualTo("public." + users);
        assertThat(response.json().get("table").get("created").asBoolean()).isFalse();
        assertThat(databaseColumns(users)).isEqualTo(before);
        // without create, the report's table is its name, as always
        LoadClient.Response plain = this.client.load(users, "", "text/csv", "name,email\nBob,bob@x\n");
        assertThat(plain.text("table")).isEqualTo("public." + users);
    }

    @Test
    void aTableOutsideTheAllowListIsNotCreated() {
        this.jdbc.sql("create schema if not exists elsewhere").update();
        LoadClient.Response response = this.client.load("elsewhere." + this.table, "create=true", "text/csv",
                "id\n1\n");
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.text("detail")).contains("cannot be created");
        assertThat(this.jdbc.sql("select to_regclass('elsewhere." + this.table + "') is null").query(Boolean.class)
            .single()).isTrue();
        LoadClient.Response ownSchema = this.client.load("bulkload." + this.table, "create=true", "text/csv",
                "id\n1\n");
        assertThat(ownSchema.status()).isEqualTo(404);
    }

    @Test
    void twoFieldsThatFoldIntoOneColumnAreA400NamingBoth() {
        LoadClient.Response response = this.client.load(this.table, "create=true", "text/csv",
                "E-mail,e mail\na,b\n");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("detail")).contains("'E-mail'", "'e mail'", "e_mail");
        assertThat(exists(this.table)).isFalse();
        LoadClient.Response mapped = this.client.load(this.table, "create=true&map=" + encode("e mail:other"),
                "text/csv", "E-mail,e mail\na,b\n");
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("e_mail:text", "other:text");
    }

    @Test
    void gzipUploadsAndOtherCharsetsAreSampledAndLoadedWhole() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            ndjson.append("{\"n\":").append(i).append(",\"label\":\"row ").append(i).append("\"}\n");
        }
        LoadClient.Response gzipped = this.client.load(this.table, "create=true&sampleRows=10&batchSize=700",
                "application/x-ndjson", gzip(ndjson.toString().getBytes(StandardCharsets.UTF_8)), "Content-Encoding",
                "gzip");
        assertThat(gzipped.status()).as(gzipped.body()).isEqualTo(200);
        assertThat(gzipped.number("rowsInserted")).isEqualTo(5000);
        assertThat(this.jdbc.sql("select sum(n) from public." + this.table).query(Long.class).single())
            .isEqualTo(5000L * 5001 / 2);
        String uploaded = this.table + "_up";
        byte[] latin = "Stra\u00dfe,Pr\u00e9nom\nHauptstra\u00dfe,Ren\u00e9e\n".getBytes(Charset.forName("windows-1252"));
        LoadClient.Response upload = this.client.upload(uploaded, "create=true&charset=windows-1252", "people.csv",
                "text/csv", latin);
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(databaseColumns(uploaded)).containsExactly("stra\u00dfe:text", "pr\u00e9nom:text");
        assertThat(this.jdbc.sql("select \"pr\u00e9nom\" from public." + uploaded).query(String.class).single())
            .isEqualTo("Ren\u00e9e");
    }

    @Test
    void createOptionsAreCheckedStrictly() {
        assertThat(this.client.load(this.table, "create=true&sampleRows=100001", "text/csv", "a\n1\n").text("parameter"))
            .isEqualTo("sampleRows");
        assertThat(this.client.load(this.table, "sampleRows=10", "text/csv", "a\n1\n").text("parameter"))
            .isEqualTo("sampleRows");
        assertThat(this.client.load(this.table, "types=a:text", "text/csv", "a\n1\n").text("parameter"))
            .isEqualTo("types");
        assertThat(this.client.load(this.table, "create=true&types=a", "text/csv", "a\n1\n").text("parameter"))
            .isEqualTo("types");
        assertThat(this.client.load(this.table, "create=true&header=false", "text/csv", "1\n").status()).isEqualTo(400);
        assertThat(exists(this.table)).isFalse();
        assertThat(this.client.load(this.table, "create=true&header=false&columns=a,b", "text/csv", "1,x\n").status())
            .isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("a:bigint", "b:text");
    }

    @Test
    void meInOpenModeListsEveryLoadableTableAndTheAllowList() {
        String users = "public." + new TestTables(this.jdbc).users();
        LoadClient.Response response = this.client.get("/api/v1/me");
        assertThat(response.status()).isEqualTo(200);
        JsonNode me = response.json();
        assertThat(me.get("securityEnabled").asBoolean()).isFalse();
        assertThat(me.get("authenticated").asBoolean()).isFalse();
        assertThat(me.get("caller").isNull()).isTrue();
        List<String> tables = new ArrayList<>();
        me.get("tables").forEach((table) -> tables.add(table.asString()));
        assertThat(tables).contains(users);
        assertThat(me.get("createTables").get(0).asString()).isEqualTo("public.*");
    }

    @Test
    void theOpenApiDocumentDescribesCreateAndMe() {
        LoadClient.Response docs = this.client.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode api = docs.json();
        List<String> parameters = new ArrayList<>();
        api.get("paths").get("/api/v1/tables/{table}/rows").get("post").get("parameters")
            .forEach((parameter) -> parameters.add(parameter.get("name").asString()));
        assertThat(parameters).contains("create", "sampleRows", "types");
        assertThat(api.get("paths").get("/api/v1/me").get("get").get("responses").has("200")).isTrue();
        assertThat(api.get("components").get("schemas").has("CallerResponse")).isTrue();
        assertThat(api.get("components").get("schemas").has("CreatedTable")).isTrue();
    }

    @Test
    void aBoundingBoxHeaderNamingSystemColumnsMakesColumnsWithATrailingUnderscore() {
        LoadClient.Response response = this.client.load(this.table, "create=true", "text/csv",
                "name,xmin,ymin,xmax,ymax\nbox,0,0,1,1\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(databaseColumns()).containsExactly("name:text", "xmin_:bigint", "ymin:bigint", "xmax_:bigint",
                "ymax:bigint");
        assertThat(response.number("rowsInserted")).isEqualTo(1);
    }

    @Test
    void requestsTheDatabaseWouldRefuseAreProblemsNamingTheirCauseAndCreateNothing() {
        // two fields mapped into one column
        LoadClient.Response twoIntoOne = this.client.load(this.table, "create=true&map=x:z&map=y:z", "text/csv",
                "x,y\n1,2\n");
        assertThat(twoIntoOne.status()).as(twoIntoOne.body()).isEqualTo(400);
        assertThat(twoIntoOne.text("parameter")).isEqualTo("map");
        // a primary key on a type without a btree operator class
        LoadClient.Response pointKey = this.client.load(this.table, "create=true&key=a&types=a:point", "text/csv",
                "a\n\"(1,2)\"\n");
        assertThat(pointKey.status()).as(pointKey.body()).isEqualTo(400);
        assertThat(pointKey.text("parameter")).isEqualTo("key");
        // a type of the service's own schema
        LoadClient.Response registryType = this.client.load(this.table, "create=true&types=a:bulkload.loads",
                "text/csv", "a\n\n");
        assertThat(registryType.status()).as(registryType.body()).isEqualTo(400);
        assertThat(registryType.text("parameter")).isEqualTo("types");
        assertThat(databaseColumns()).isEmpty();
        // a name taken by a type
        this.jdbc.sql("create type public." + this.table + " as enum ('a')").update();
        LoadClient.Response taken = this.client.load(this.table, "create=true", "text/csv", "a\n1\n");
        assertThat(taken.status()).as(taken.body()).isEqualTo(409);
        assertThat(taken.body()).doesNotContain("Exception", "CREATE TABLE");
        this.jdbc.sql("drop type public." + this.table).update();
    }

    private List<String> databaseColumns() {
        return databaseColumns(this.table);
    }

    private List<String> databaseColumns(String table) {
        return this.jdbc.sql("""
                select a.attname || ':' || format_type(a.atttypid, a.atttypmod) from pg_attribute a
                join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relname = :table and a.attnum > 0 and not a.attisdropped
                order by a.attnum""").param("table", table).query(String.class).list();
    }

    private String primaryKey(String table) {
        return this.jdbc.sql("""
                select string_agg(a.attname, ',') from pg_index i join pg_class c on c.oid = i.indrelid
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                where c.relname = :table and i.indisprimary""").param("table", table).query(String.class).single();
    }

    private boolean exists(String table) {
        return this.jdbc.sql("select exists (select 1 from pg_class where relname = :table)").param("table", table)
            .query(Boolean.class)
            .single();
    }

    private static List<String> columns(JsonNode table) {
        List<String> columns = new ArrayList<>();
        table.get("columns").forEach((column) -> columns.add(column.get("field").asString() + ">"
                + column.get("column").asString() + ":" + column.get("type").asString()));
        return columns;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
