package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Identity and generated columns follow one rule whatever the method: a value for a {@code GENERATED ALWAYS}
 * identity column is refused up front (400 naming it; COPY would otherwise store it silently and a batch fail
 * with 428C9) unless {@code overriding=system} asks PostgreSQL to store it, which then both methods do; a
 * {@code BY DEFAULT} identity column takes given values; a generated column never takes one.
 */
@BulkLoaderTest
class IdentityColumnTests {

    private static final String CSV = "text/csv";

    private static final String JSON = "application/json";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String always;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.always = this.tables.create("always", "id int generated always as identity primary key, name text");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aValueForAGeneratedAlwaysIdentityIsA400NamingTheColumn(String method) {
        for (String query : List.of("", "&onError=skip", "&atomic=false", "&mode=ignore")) {
            LoadClient.Response csv = this.client.load(this.always, "method=" + method + query, CSV, "id,name\n7,a\n");
            assertThat(csv.status()).as(query + ": " + csv.body()).isEqualTo(400);
            assertThat(csv.text("type")).isEqualTo("urn:bulkload:problem:malformed-payload");
            assertThat(csv.text("column")).isEqualTo("id");
            assertThat(csv.text("detail")).contains("overriding=system");
        }
        LoadClient.Response json = this.client.load(this.always, "method=" + method, JSON,
                "[{\"name\":\"a\"},{\"id\":7,\"name\":\"b\"}]");
        assertThat(json.status()).as(json.body()).isEqualTo(400);
        assertThat(json.text("column")).isEqualTo("id");
        assertThat(json.number("record")).isEqualTo(2);
        assertThat(names(this.always)).isEmpty();
    }

    @Test
    void withSkipAJsonRecordGivingTheIdentityIsARejectNamingTheColumn() {
        LoadClient.Response response = this.client.load(this.always, "onError=skip", JSON,
                "[{\"name\":\"a\"},{\"id\":7,\"name\":\"b\"},{\"name\":\"c\"}]");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode reject = response.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("column").asString()).isEqualTo("id");
        assertThat(names(this.always)).containsExactly("a", "c");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void withOverridingSystemBothMethodsStoreTheGivenValues(String method) {
        int id = 100;
        for (String query : List.of("", "&onError=skip", "&atomic=false", "&mode=ignore", "&mode=upsert")) {
            id++;
            LoadClient.Response response = this.client.load(this.always,
                    "overriding=system&method=" + method + query, CSV, "id,name\n" + id + ",n" + id + "\n");
            assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(1);
            assertThat(this.jdbc.sql("select name from " + this.always + " where id = ?").param(id)
                .query(String.class).single()).isEqualTo("n" + id);
        }
        // the identity goes on generating its own values for rows that give none
        LoadClient.Response generated = this.client.load(this.always, "overriding=system&method=" + method, CSV,
                "name\ngenerated\n");
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select id from " + this.always + " where name = 'generated'").query(Integer.class)
            .single()).isLessThan(100);
    }

    @Test
    void anUpsertWithOverridingSystemInsertsNewKeysAndUpdatesExistingOnes() {
        assertThat(this.client.load(this.always, "overriding=system", CSV, "id,name\n1,old\n").status())
            .isEqualTo(200);
        LoadClient.Response response = this.client.load(this.always, "overriding=system&mode=upsert&method=batch", CSV,
                "id,name\n1,new\n2,added\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(1);
        assertThat(response.number("rowsUpdated")).isEqualTo(1);
        assertThat(names(this.always)).containsExactly("new", "added");
        // a payload of the key alone still counts its existing row as updated
        LoadClient.Response keyOnly = this.client.load(this.always, "overriding=system&mode=upsert", CSV, "id\n1\n");
        assertThat(keyOnly.status()).as(keyOnly.body()).isEqualTo(200);
        assertThat(keyOnly.number("rowsUpdated")).isEqualTo(1);
    }

    @Test
    void anUpdateMatchesByTheIdentityKeyWithoutOverriding() {
        this.jdbc.sql("insert into " + this.always + " (name) values ('first')").update();
        int id = this.jdbc.sql("select id from " + this.always).query(Integer.class).single();
        LoadClient.Response response = this.client.load(this.always, "mode=update", CSV, "id,name\n" + id + ",renamed\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsUpdated")).isEqualTo(1);
        assertThat(names(this.always)).containsExactly("renamed");
    }

    @Test
    void anUpsertOrUpdateCannotSetAnIdentityThatIsNotTheKeyEvenWithOverriding() {
        String keyed = this.tables.create("keyed", "code text primary key, "
                + "serial_no int generated always as identity, name text");
        for (String mode : List.of("upsert", "update")) {
            LoadClient.Response response = this.client.load(keyed, "overriding=system&mode=" + mode, CSV,
                    "code,serial_no,name\na,5,x\n");
            assertThat(response.status()).as(mode + ": " + response.body()).isEqualTo(400);
            assertThat(response.text("column")).isEqualTo("serial_no");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aByDefaultIdentityTakesGivenValuesAndGeneratesTheOthers(String method) {
        String byDefault = this.tables.create("by_default", "id int generated by default as identity primary key, "
                + "name text");
        for (String query : List.of("", "&onError=skip")) {
            this.jdbc.sql("truncate " + byDefault).update();
            LoadClient.Response response = this.client.load(byDefault, "method=" + method + query, JSON,
                    "[{\"id\":42,\"name\":\"given\"},{\"name\":\"generated\"}]");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(this.jdbc.sql("select id from " + byDefault + " where name = 'given'").query(Integer.class)
                .single()).isEqualTo(42);
            assertThat(this.jdbc.sql("select id from " + byDefault + " where name = 'generated'")
                .query(Integer.class).single()).isNotEqualTo(42);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aGeneratedColumnIsRefusedEvenWithOverriding(String method) {
        String generated = this.tables.create("generated", "id int primary key, twice int generated always as "
                + "(id * 2) stored");
        LoadClient.Response response = this.client.load(generated, "overriding=system&method=" + method, CSV,
                "id,twice\n1,5\n");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("column")).isEqualTo("twice");
        assertThat(this.tables.count(generated)).isZero();
    }

    @Test
    void anUnknownOverridingIsA400NamingTheParameter() {
        for (String value : List.of("user", "SYSTEM_VALUE", "yes")) {
            LoadClient.Response response = this.client.load(this.always, "overriding=" + value, CSV, "name\na\n");
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
            assertThat(response.text("parameter")).isEqualTo("overriding");
        }
        assertThat(names(this.always)).isEmpty();
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherOverridingIsAnotherRequest() {
        String key = "identity-" + System.nanoTime();
        assertThat(this.client.load(this.always, "", CSV, "name\na\n", "Idempotency-Key", key).status())
            .isEqualTo(200);
        LoadClient.Response other = this.client.load(this.always, "overriding=system", CSV, "name\na\n",
                "Idempotency-Key", key);
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(other.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        assertThat(names(this.always)).containsExactly("a");
    }

    @Test
    void theTableDescriptionSaysWhichIdentityEachColumnIs() {
        JsonNode columns = this.client.get("/api/v1/tables/" + this.always).json().get("columns");
        assertThat(columns.get(0).get("identity").asString()).isEqualTo("always");
        assertThat(columns.get(1).get("identity").isNull()).isTrue();
    }

    private List<String> names(String table) {
        return this.jdbc.sql("select name from " + table + " order by id").query(String.class).list();
    }
}
