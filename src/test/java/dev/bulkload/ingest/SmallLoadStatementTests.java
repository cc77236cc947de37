package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabase;
import dev.bulkload.TestTables;
import dev.bulkload.WireLog;
import tools.jackson.databind.JsonNode;

/**
 * What a small load costs on the wire, counted by a proxy between the service and the database: with the
 * table's definition cached (the wait limits go with the load's tag, in each transaction), a 10-row insert is one
 * COPY on its own (two
 * round trips, no BEGIN, no COMMIT), and a 10-row upsert runs a fixed list of statements, none of them a
 * catalog read. A change here is a change in what every small load costs: update the numbers on purpose.
 * The test holds one of the pool's two connections, so every load runs on the other and the warm-up load has
 * set it up for the measured one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=false", "spring.datasource.hikari.maximum-pool-size=2",
                "bulkload.tables.cache-refresh=1h" })
@ContextConfiguration(initializers = SmallLoadStatementTests.ThroughWireLog.class)
class SmallLoadStatementTests {

    static WireLog wire;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    String items;

    Connection held;

    @BeforeEach
    void setUp() throws SQLException {
        this.held = this.dataSource.getConnection();
        this.client = new LoadClient(this.port);
        this.items = new TestTables(this.jdbc).create("items",
                "id int primary key, code text not null unique, qty int not null check (qty >= 0)");
    }

    @AfterEach
    void release() throws SQLException {
        this.held.close();
    }

    @AfterAll
    static void closeProxy() throws IOException {
        wire.close();
    }

    @Test
    void smallInsertIsOneCopyAndItsRegistryRowInSixRoundTrips() {
        assertLoaded("", rows(1, 10, "c"), 10, 0);
        wire.clear();
        assertLoaded("", rows(101, 110, "c"), 10, 0);
        List<String> statements = wire.statements();
        assertThat(statements).as(String.join("\n", statements)).hasSize(5);
        assertThat(statements.get(0)).isEqualTo("BEGIN");
        // the transaction's tag for the load registry (a cancel finds the load's backend by it), with the wait limits:
        // all of them end with the transaction, so no pooled backend keeps them
        assertThat(statements.get(1)).startsWith("SELECT set_config('application_name', 'bulkload:")
            .contains("set_config('lock_timeout', '10000', true)")
            .contains("set_config('statement_timeout', '900000', true)");
        assertThat(statements.get(2))
            .startsWith("COPY \"public\".\"" + this.items + "\" (\"id\", \"code\", \"qty\") FROM STDIN");
        // the registry row commits with the data, so that a lost COMMIT answer can be resolved
        assertThat(statements.get(3)).startsWith("insert into bulkload.loads");
        assertThat(statements.get(4)).isEqualTo("COMMIT");
        // BEGIN (the driver sends it on its own), the tag, the COPY's start, its end, the registry row, COMMIT
        assertThat(wire.roundTrips()).isEqualTo(6);
        assertThat(count()).isEqualTo(20);
    }

    @Test
    void smallInsertRefusedByTheDatabaseLeavesNoRowAndNamesTheRecord() {
        assertLoaded("", rows(1, 10, "c"), 10, 0);
        LoadClient.Response response = this.client.load(this.items, "", "application/json", rows(11, 20, "c")
            .replace("\"code\":\"c15\"", "\"code\":\"c1\""));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.json().get("record").asLong()).isEqualTo(5);
        assertThat(response.json().get("sqlState").asString()).isEqualTo("23505");
        assertThat(count()).isEqualTo(10);
    }

    @Test
    void smallUpsertRunsAFixedListOfStatementsAndNoCatalogRead() {
        assertLoaded("", rows(1, 10, "c"), 10, 0);
        assertLoaded("mode=upsert", rows(6, 15, "w"), 5, 5);
        wire.clear();
        assertLoaded("mode=upsert", rows(11, 20, "u"), 5, 5);
        List<String> statements = wire.statements();
        assertThat(statements).noneMatch((sql) -> sql.contains("pg_catalog") || sql.contains("pg_class")
                || sql.contains("pg_attribute") || sql.contains("pg_index") || sql.contains("pg_constraint"));
        // BEGIN, the settings, the stage, its COPY under a savepoint, the dedupe, the merge under a savepoint, the
        // registry row, COMMIT: a stage this small is joined without the large stages' plan settings (IndexJoins)
        assertThat(statements).as(String.join("\n", statements)).hasSize(12);
        assertThat(wire.roundTrips()).as(String.join("\n", statements)).isEqualTo(13);
    }

    private void assertLoaded(String query, String body, long inserted, long updated) {
        LoadClient.Response response = this.client.load(this.items, query, "application/json", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(inserted);
        assertThat(report.get("rowsUpdated").asLong()).isEqualTo(updated);
    }

    private long count() {
        return this.jdbc.sql("select count(*) from " + this.items).query(Long.class).single();
    }

    private static String rows(int first, int last, String prefix) {
        return IntStream.rangeClosed(first, last)
            .mapToObj((i) -> "{\"id\":" + i + ",\"code\":\"" + prefix + i + "\",\"qty\":" + i + "}")
            .collect(Collectors.joining(",", "[", "]"));
    }

    /** Points the context's data source at a {@link WireLog} in front of the test database. */
    static class ThroughWireLog implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            try {
                wire = WireLog.ofTestDatabase();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            TestDatabase.Settings db = TestDatabase.settings();
            TestPropertyValues.of("spring.datasource.url=" + wire.url(),
                    "spring.datasource.username=" + ((db.username() != null) ? db.username() : ""),
                    "spring.datasource.password=" + ((db.password() != null) ? db.password() : ""))
                .applyTo(context);
        }
    }
}
