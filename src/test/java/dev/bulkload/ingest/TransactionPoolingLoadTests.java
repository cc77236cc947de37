package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.PooledConnections;
import dev.bulkload.TestDatabaseInitializer;
import dev.bulkload.TestTables;
import dev.bulkload.ThroughPgBouncer;

/**
 * Loads through PgBouncer in transaction pooling, where each transaction of a load may run on another backend:
 * keyed non-atomic loads side by side (they once failed with {@code prepared statement "S_2" already exists}), a
 * staged load over many chunks that still tells keys written in its earlier chunks, and backends that go back with
 * neither the load's settings nor its staging tables.
 */
@BulkLoaderTest
// the class's own initializers replace those of @BulkLoaderTest: the test database's first, then the pooler's
@ContextConfiguration(initializers = { TestDatabaseInitializer.class, ThroughPgBouncer.Transaction.class })
@ExtendWith(ThroughPgBouncer.Required.class)
class TransactionPoolingLoadTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
    }

    @Test
    void twelveKeyedNonAtomicLoadsAtOnceAllLoadEveryRowOnce() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text");
        List<CompletableFuture<LoadClient.Response>> loads = new ArrayList<>();
        for (int load = 0; load < 12; load++) {
            StringBuilder csv = new StringBuilder("n,payload\n");
            for (int n = 1; n <= 500; n++) {
                csv.append(load * 1000 + n).append(",event ").append(n).append('\n');
            }
            byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
            String method = (load % 2 == 0) ? "copy" : "batch";
            String onError = (load % 4 < 2) ? "abort" : "skip";
            loads.add(CompletableFuture.supplyAsync(() -> this.client.load(table,
                    "atomic=false&batchSize=50&method=" + method + "&onError=" + onError, "text/csv", body,
                    "Idempotency-Key", UUID.randomUUID().toString())));
        }
        for (CompletableFuture<LoadClient.Response> load : loads) {
            LoadClient.Response response = load.get(120, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(500);
        }
        assertThat(this.tables.count(table)).isEqualTo(12 * 500);
        assertThat(this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single())
            .isEqualTo(12 * 500);
    }

    @Test
    void aStagedLoadOverManyTransactionsCountsKeysOfItsEarlierChunksAndLeavesTheBackendsAsTheyWere()
            throws Exception {
        String items = this.tables.create("items", "id int primary key, code text not null, qty int not null");
        StringBuilder csv = new StringBuilder("id,code,qty\n");
        for (int id = 1; id <= 300; id++) {
            csv.append(id).append(",c").append(id).append(",1\n");
        }
        // keys of the first chunks again, in later chunks (each its own transaction, maybe on another backend)
        for (int id = 1; id <= 30; id++) {
            csv.append(id).append(",again").append(id).append(",2\n");
        }
        csv.append("301,bad,-\n");
        JsonNode report = this.client.load(items, "mode=upsert&atomic=false&batchSize=20&onError=skip", "text/csv",
                csv.toString()).json();
        assertThat(report.get("rowsReceived").asLong()).isEqualTo(331);
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(300);
        assertThat(report.get("rowsUpdated").asLong()).isZero();
        assertThat(report.get("rowsSkipped").asLong()).isEqualTo(30);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(1);
        assertThat(this.jdbc.sql("select count(*) from public." + items + " where code like 'again%' and qty = 2")
            .query(Long.class).single()).isEqualTo(30);

        // whichever backend the next transaction gets: no wait limit, tag or staging table of the load on it
        for (int i = 0; i < 10; i++) {
            assertThat(this.jdbc.sql("select current_setting('lock_timeout') || ' ' || current_setting('statement_timeout')"
                    + " || ' ' || current_setting('application_name')").query(String.class).single())
                .isEqualTo("0 0 bulk-loader");
        }
        PooledConnections.assertEveryOneIsClean(this.dataSource);
    }
}
