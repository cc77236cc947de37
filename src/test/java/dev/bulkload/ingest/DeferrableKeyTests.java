package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Keys declared DEFERRABLE cannot arbitrate ON CONFLICT: a load that would need one is refused as a bad
 * {@code key} before any row is written, and loads that need no such key still work.
 */
@BulkLoaderTest
class DeferrableKeyTests {

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

    @Test
    void upsertOnADeferrableUniqueKeyIsABadKey() {
        String table = this.tables.create("deferred_code",
                "id int primary key, code text not null unique deferrable initially deferred, qty int");
        LoadClient.Response response = this.client.load(table, "mode=upsert&key=code", "text/csv",
                "id,code,qty\n1,a,1\n");
        assertRefusedKey(response, "[code]");
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void defaultKeyThatIsADeferrablePrimaryKeyIsABadKey() {
        String table = this.tables.create("deferred_pk", "id int primary key deferrable, qty int");
        LoadClient.Response response = this.client.load(table, "mode=ignore", "text/csv", "id,qty\n1,1\n");
        assertRefusedKey(response, "[id]");
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void immediateKeyBesideADeferrableOneStillUpserts() {
        String table = this.tables.create("deferred_beside",
                "id int primary key deferrable, code text not null unique, qty int");
        String csv = "id,code,qty\n1,a,1\n";
        assertThat(this.client.load(table, "", "text/csv", csv).status()).isEqualTo(200);
        LoadClient.Response response = this.client.load(table, "mode=upsert&key=code", "text/csv",
                "id,code,qty\n1,a,5\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsUpdated")).isEqualTo(1);
        assertThat(this.jdbc.sql("select qty from public." + table).query(Integer.class).single()).isEqualTo(5);
    }

    private static void assertRefusedKey(LoadClient.Response response, String key) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("parameter").asString()).isEqualTo("key");
        assertThat(problem.get("detail").asString()).contains(key).containsIgnoringCase("deferrable");
    }
}
