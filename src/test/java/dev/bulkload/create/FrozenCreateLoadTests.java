package dev.bulkload.create;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * {@code COPY ... FREEZE} for a table the load creates, over real HTTP into PostgreSQL, read back with
 * {@code pg_visibility}: an atomic create written by COPY leaves every page all-frozen (every chunk without a key, the
 * first chunk with one), while a load into an existing table, a non-atomic create and a staged load never freeze; and
 * a row refused in a frozen chunk, first or later, is still named exactly, with no table left.
 */
@BulkLoaderTest
class FrozenCreateLoadTests {

    private static final AtomicInteger counter = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeAll
    static void visibility(@Autowired JdbcClient jdbc) {
        jdbc.sql("create extension if not exists pg_visibility").update();
    }

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = "frozen_" + counter.incrementAndGet() + "_" + System.nanoTime() % 100000;
    }

    @Test
    void anAtomicCreateByCopyWritesEveryChunkFrozen() {
        LoadClient.Response response = this.client.load(this.table, "create=true&batchSize=500", "text/csv",
                csv(3000, -1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(3000);
        assertThat(response.number("batches")).isEqualTo(6);
        assertThat(pages(this.table)).isGreaterThan(5);
        assertThat(frozenPages(this.table)).isEqualTo(pages(this.table));
        assertThat(sum(this.table)).isEqualTo(3000L * 3001 / 2);
    }

    @Test
    void ndjsonWithChangingKeysWritesEachColumnSetFrozen() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            ndjson.append((i % 3 == 0) ? "{\"id\":" + i + "}\n" : "{\"id\":" + i + ",\"name\":\"n" + i + "\"}\n");
        }
        LoadClient.Response response = this.client.load(this.table, "create=true&batchSize=700",
                "application/x-ndjson", ndjson.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2000);
        assertThat(frozenPages(this.table)).isEqualTo(pages(this.table)).isPositive();
    }

    @Test
    void aLoadIntoAnExistingTableIsNeverFrozen() {
        String existing = new TestTables(this.jdbc).create("unfrozen", "id bigint, name text");
        LoadClient.Response response = this.client.load(existing, "create=true&batchSize=500", "text/csv",
                csv(3000, -1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("table").get("created").asBoolean()).isFalse();
        assertThat(pages(existing)).isPositive();
        assertThat(frozenPages(existing)).isZero();
    }

    @Test
    void aNonAtomicCreateCommitsTheTableFirstAndWritesPlainRows() {
        LoadClient.Response response = this.client.load(this.table, "create=true&atomic=false&batchSize=500",
                "text/csv", csv(3000, -1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(3000);
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(3000);
        assertThat(frozenPages(this.table)).isZero();
    }

    @Test
    void aCreateThatSkipsBadRowsStaysExactAndIsNotFrozen() {
        LoadClient.Response response = this.client.load(this.table, "create=true&onError=skip&batchSize=500&sampleRows=10",
                "text/csv", csv(3000, 1777));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2999);
        assertThat(response.number("rowsRejected")).isEqualTo(1);
        assertThat(response.json().get("rejects").get(0).get("record").asLong()).isEqualTo(1777);
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(2999);
        assertThat(frozenPages(this.table)).isZero();
    }

    @Test
    void aRowRefusedInALaterFrozenChunkIsNamedAndLeavesNoTable() {
        LoadClient.Response response = this.client.load(this.table, "create=true&batchSize=500&sampleRows=10",
                "text/csv", csv(3000, 1777));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.number("record")).isEqualTo(1777);
        assertThat(response.text("column")).isEqualTo("id");
        assertThat(exists(this.table)).isFalse();
    }

    @Test
    void aRowRefusedInTheFirstChunkIsNamedAndLeavesNoTable() {
        LoadClient.Response response = this.client.load(this.table, "create=true&batchSize=500&sampleRows=10",
                "text/csv", csv(3000, 123));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.number("record")).isEqualTo(123);
        assertThat(exists(this.table)).isFalse();
    }

    @Test
    void withAKeyOnlyTheFirstChunkIsFrozenAndADuplicateInALaterChunkIsNamed() {
        LoadClient.Response response = this.client.load(this.table, "create=true&key=id&batchSize=1500",
                "text/csv", csv(3000, -1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(3000);
        long frozen = frozenPages(this.table);
        assertThat(frozen).isPositive().isLessThan(pages(this.table));
        String duplicated = this.table + "_dup";
        // record 2001 repeats id 10 of the first (frozen) chunk
        String csv = csv(3000, -1).replace("\n2001,n2001\n", "\n10,n2001\n");
        LoadClient.Response failed = this.client.load(duplicated, "create=true&key=id&batchSize=1500", "text/csv", csv);
        assertThat(failed.status()).as(failed.body()).isEqualTo(422);
        assertThat(failed.number("record")).isEqualTo(2001);
        assertThat(failed.text("sqlState")).isEqualTo("23505");
        assertThat(exists(duplicated)).isFalse();
    }

    @Test
    void anIdempotentCreateIsWrittenFrozenAndReplayedWithoutLoadingAgain() {
        String key = "frozen-" + this.table;
        LoadClient.Response first = this.client.load(this.table, "create=true&batchSize=500", "text/csv",
                csv(2000, -1), "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(frozenPages(this.table)).isEqualTo(pages(this.table)).isPositive();
        LoadClient.Response again = this.client.load(this.table, "create=true&batchSize=500", "text/csv",
                csv(2000, -1), "Idempotency-Key", key);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(2000);
    }

    @Test
    void aDryRunCreateByCopyKeepsNothing() {
        LoadClient.Response response = this.client.load(this.table, "create=true&dryRun=true&batchSize=500",
                "text/csv", csv(2000, -1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2000);
        assertThat(exists(this.table)).isFalse();
    }

    /** {@code id,name} rows 1..n; the row at {@code bad} (a record number) holds an id that is no bigint. */
    private static String csv(int rows, int bad) {
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 1; i <= rows; i++) {
            csv.append((i == bad) ? "x" + i : Integer.toString(i)).append(",n").append(i).append('\n');
        }
        return csv.toString();
    }

    private long pages(String table) {
        return this.jdbc.sql("select pg_relation_size(:table::regclass) / current_setting('block_size')::int")
            .param("table", "public." + table)
            .query(Long.class)
            .single();
    }

    private long frozenPages(String table) {
        return this.jdbc.sql("select all_frozen from pg_visibility_map_summary(:table::regclass)")
            .param("table", "public." + table)
            .query(Long.class)
            .single();
    }

    private long sum(String table) {
        return this.jdbc.sql("select sum(id) from public." + table).query(Long.class).single();
    }

    private boolean exists(String table) {
        return this.jdbc.sql("select exists (select 1 from pg_class where relname = :table)").param("table", table)
            .query(Boolean.class)
            .single();
    }
}
