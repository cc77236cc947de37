package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;

/**
 * A cancel of a load written by several connections ({@code parallel=N}): every writer stops, the chunks that
 * committed stay and are exactly what the answer and the registry count, and no writer's backend is left working.
 */
@BulkLoaderTest
class ParallelCancelTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestTables tables;

    LoadClient client;

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
        this.client = new LoadClient(this.port);
    }

    @Test
    void aCancelStopsEveryWriterAndWhatCommittedIsExactlyWhatTheAnswerAndTheRegistryCount() throws Exception {
        String table = this.tables.users();
        try (ChunkedUpload upload = new ChunkedUpload(this.port, table, "atomic=false&parallel=3&batchSize=100",
                "text/csv")) {
            AtomicInteger sent = new AtomicInteger();
            upload.send("name,email\n" + rows(sent, 1000));
            String id = await().atMost(10, TimeUnit.SECONDS).until(() -> {
                JsonNode loads = this.client.get("/api/v1/loads?status=running&table=" + table).json().get("loads");
                return loads.isEmpty() ? null : loads.get(0).get("id").asString();
            }, (found) -> found != null);
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> this.client.get("/api/v1/loads/" + id).number("rowsCommitted"), (rows) -> rows >= 500);

            LoadClient.Response cancel = this.client.delete("/api/v1/loads/" + id);
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);

            // a client trickling its upload: the reader sees the cancel at the next rows
            CompletableFuture<RawHttp.Response> answer = upload.answer();
            await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> answer.isDone() || !upload.send(rows(sent, 10)));
            RawHttp.Response answered = answer.get(30, TimeUnit.SECONDS);
            assertThat(answered.status()).as(answered.body()).isEqualTo(409);
            assertThat(answered.json().get("type").asString()).isEqualTo("urn:bulkload:problem:load-cancelled");
            long committed = answered.json().get("rowsCommitted").asLong();
            assertThat(committed).isGreaterThanOrEqualTo(500).isEqualTo(this.tables.count(table));

            LoadClient.Response ended = this.client.get("/api/v1/loads/" + id);
            assertThat(ended.text("status")).isEqualTo("cancelled");
            assertThat(ended.number("rowsCommitted")).isEqualTo(committed);
            await().atMost(10, TimeUnit.SECONDS)
                .until(() -> this.jdbc.sql("select count(*) from pg_stat_activity where application_name = ? "
                        + "and state <> 'idle'").param("bulkload:" + id).query(Long.class).single(), (n) -> n == 0);
        }
    }

    private static String rows(AtomicInteger sent, int count) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int n = sent.incrementAndGet();
            rows.append("p").append(n).append(",p").append(n).append("@x\n");
        }
        return rows.toString();
    }
}
