package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * Loads use a table's cached definition, and see a change to it: after at most bulkload.tables.cache-refresh
 * (5s here), at once after {@code POST /api/v1/tables/refresh}, and at once after a load failed because of it
 * (409 table-changed, nothing written).
 */
@BulkLoaderTest
class TableCacheTests {

    private static final String CSV = "text/csv";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("cached", "id int primary key, name text");
        assertThat(load("id,name\n1,a\n").status()).isEqualTo(200);
    }

    @Test
    void aColumnAddedIsSeenAtOnceAfterTheRefresh() {
        sql("alter table " + this.table + " add column note text");
        assertThat(this.client.post("/api/v1/tables/refresh").status()).isEqualTo(204);
        assertThat(load("id,name,note\n2,b,n\n").status()).isEqualTo(200);
        assertThat(count("note = 'n'")).isEqualTo(1);
    }

    @Test
    void aColumnAddedIsSeenWithinTheRefreshInterval() {
        sql("alter table " + this.table + " add column note text");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
            .until(() -> load("id,name,note\n3,c,n\n").status() == 200);
        assertThat(count("note = 'n'")).isEqualTo(1);
    }

    @Test
    void aColumnDroppedFailsOneLoadAsTableChangedThenTheNextSeesIt() {
        sql("alter table " + this.table + " add column note text");
        this.client.post("/api/v1/tables/refresh");
        assertThat(load("id,note\n2,x\n").status()).isEqualTo(200);
        sql("alter table " + this.table + " drop column note");
        LoadClient.Response changed = load("id,note\n3,y\n");
        assertThat(changed.status()).as(changed.body()).isEqualTo(409);
        assertThat(changed.text("type")).isEqualTo("urn:bulkload:problem:table-changed");
        assertThat(changed.text("sqlState")).isEqualTo("42703");
        assertThat(changed.text("detail")).doesNotContain("COPY", "\"");
        // the definition was read again: the column is unknown before anything reaches the database
        LoadClient.Response unknown = load("id,note\n3,y\n");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.text("column")).isEqualTo("note");
        assertThat(count("id = 3")).isZero();
    }

    @Test
    void aTableDroppedAndRecreatedIsLoadedAsItIsNow() {
        sql("drop table " + this.table);
        sql("create table public." + this.table + " (id int primary key, label text not null)");
        // the cached definition names a column the new table lacks: one load fails, atomically, then loads see the new one
        LoadClient.Response changed = load("id,name\n2,b\n");
        assertThat(changed.status()).as(changed.body()).isEqualTo(409);
        assertThat(load("id,label\n2,b\n").status()).isEqualTo(200);
        assertThat(count("label = 'b'")).isEqualTo(1);
    }

    @Test
    void aTableDroppedIsNotFoundOnceTheDefinitionIsReadAgain() {
        sql("drop table " + this.table);
        LoadClient.Response gone = load("id,name\n2,b\n");
        assertThat(gone.status()).as(gone.body()).isEqualTo(409);
        assertThat(gone.text("sqlState")).isEqualTo("42P01");
        assertThat(load("id,name\n2,b\n").status()).isEqualTo(404);
    }

    private LoadClient.Response load(String csv) {
        return this.client.load(this.table, "", CSV, csv);
    }

    private void sql(String sql) {
        this.jdbc.sql(sql).update();
    }

    private long count(String where) {
        return this.jdbc.sql("select count(*) from " + this.table + " where " + where).query(Long.class).single();
    }
}
