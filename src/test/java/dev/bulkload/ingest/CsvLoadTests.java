package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/** CSV loads over real HTTP into a real PostgreSQL: happy paths and options. */
@BulkLoaderTest
class CsvLoadTests {

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
    void csvWithHeaderIsInsertedAndReported() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "", "text/csv",
                "name,email\nAnn,ann@example.com\n\"Smith, Bob\",bob@example.com\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isEqualTo(2);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.text("table")).isEqualTo("public." + table);
        assertThat(response.text("format")).isEqualTo("csv");
        assertThat(response.text("method")).isEqualTo("copy");
        assertThat(this.jdbc.sql("select name, email from " + table + " order by id").query().listOfRows())
            .containsExactly(Map.of("name", "Ann", "email", "ann@example.com"),
                    Map.of("name", "Smith, Bob", "email", "bob@example.com"));
    }

    @Test
    void batchMethodInsertsTheSameRows() {
        String table = this.tables.users();
        LoadClient.Response response = this.client.load(table, "method=batch", "text/csv",
                "name,email\nAnn,ann@example.com\nBob,bob@example.com\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.text("method")).isEqualTo("batch");
        assertThat(this.tables.count(table)).isEqualTo(2);
    }

    @Test
    void quotedFieldsKeepNewlinesQuotesTabsAndBackslashes() {
        String table = this.tables.create("texts", "id int primary key, body text");
        String csv = "id,body\n1,\"line one\nline two\"\n2,\"say \"\"hi\"\"\"\n3,\"tab\there\\back\"\n4,\"\"\n5,\n";
        LoadClient.Response response = this.client.load(table, "", "text/csv", csv);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> bodies = this.jdbc.sql("select coalesce(body, '<null>') from " + table + " order by id")
            .query(String.class)
            .list();
        assertThat(bodies).containsExactly("line one\nline two", "say \"hi\"", "tab\there\\back", "", "<null>");
    }
}
