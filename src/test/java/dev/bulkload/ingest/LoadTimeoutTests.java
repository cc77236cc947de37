package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * A load waits for a lock only as long as its lock timeout and runs a statement only as long as its
 * statement timeout: then it answers 503, leaves nothing behind and frees its slot.
 */
@BulkLoaderTest
@TestPropertySource(properties = { "bulkload.load.lock-timeout=1s", "bulkload.load.statement-timeout=2s",
        "bulkload.load.max-concurrent-loads=1", "bulkload.load.queue-timeout=10s" })
class LoadTimeoutTests {

    private static final String CSV = "name,email\nAnn,ann@example.com\nBob,bob@example.com\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aLockedTableAnswersTableLockedAfterTheLockTimeoutAndFreesTheSlot() throws Exception {
        TestTables tables = new TestTables(this.jdbc);
        String locked = tables.users();
        String other = tables.users();
        LoadClient client = new LoadClient(this.port);
        try (Connection holder = this.dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("lock table public." + locked + " in access exclusive mode");
            }
            long started = System.nanoTime();
            CompletableFuture<LoadClient.Response> blocked = CompletableFuture
                .supplyAsync(() -> client.load(locked, "", "text/csv", CSV));
            // the only slot is taken by the blocked load; this one gets it once the lock timeout frees it
            LoadClient.Response unrelated = client.load(other, "", "text/csv", CSV);
            LoadClient.Response refused = blocked.get(10, TimeUnit.SECONDS);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.text("type")).isEqualTo("urn:bulkload:problem:table-locked");
            assertThat(refused.text("sqlState")).isEqualTo("55P03");
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(waited).isLessThan(Duration.ofSeconds(8));
            assertThat(unrelated.status()).isEqualTo(200);
            assertThat(unrelated.number("rowsInserted")).isEqualTo(2);
            holder.rollback();
        }
        assertThat(tables.count(locked)).isZero();
        assertThat(client.load(locked, "", "text/csv", CSV).status()).isEqualTo(200);
    }

    @Test
    void aStatementPastTheStatementTimeoutAnswers503AndLeavesNothing() {
        TestTables tables = new TestTables(this.jdbc);
        String slow = tables.users();
        this.jdbc.sql("create function public." + slow + "_sleep() returns trigger language plpgsql as "
                + "$$ begin perform pg_sleep(30); return new; end $$").update();
        this.jdbc.sql("create trigger sleepy before insert on public." + slow + " for each row when (new.name = 'Bob') "
                + "execute function public." + slow + "_sleep()").update();
        LoadClient client = new LoadClient(this.port);

        long started = System.nanoTime();
        LoadClient.Response response = client.load(slow, "", "text/csv", CSV);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:statement-timeout");
        assertThat(response.text("sqlState")).isEqualTo("57014");
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(tables.count(slow)).isZero();
    }
}
