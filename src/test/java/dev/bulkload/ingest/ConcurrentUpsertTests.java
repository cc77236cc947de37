package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Two loads upserting the same keys in opposite orders at the same time, in several chunks: the
 * deadlocks they run into are retried, so both succeed and account for every row.
 */
@BulkLoaderTest
class ConcurrentUpsertTests {

    private static final int KEYS = 3_000;

    private static final int ROUNDS = 3;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String items;

    ExecutorService executor;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.items = new TestTables(this.jdbc).create("contended", "id int primary key, v text not null");
        this.executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        this.executor.shutdownNow();
    }

    @ParameterizedTest(name = "method={0}, atomic={1}")
    @CsvSource({ "copy, true", "batch, true", "copy, false", "batch, false" })
    void oppositeOrdersOfTheSameKeysBothSucceedEveryTime(String method, boolean atomic) {
        String ascending = csv(IntStream.rangeClosed(1, KEYS).boxed().toList(), "asc");
        String descending = csv(IntStream.rangeClosed(1, KEYS).map((i) -> KEYS + 1 - i).boxed().toList(), "desc");
        String query = "mode=upsert&batchSize=500&method=" + method + "&atomic=" + atomic;
        for (int round = 1; round <= ROUNDS; round++) {
            List<LoadClient.Response> responses = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> together(query, ascending, descending));
            long inserted = 0;
            for (LoadClient.Response response : responses) {
                assertThat(response.status()).as("round %d: %s", round, response.body()).isEqualTo(200);
                JsonNode report = response.json();
                assertThat(report.get("rowsInserted").asLong() + report.get("rowsUpdated").asLong())
                    .as("round %d: %s", round, response.body())
                    .isEqualTo(KEYS);
                inserted += report.get("rowsInserted").asLong();
            }
            // each key is inserted exactly once, by whichever load got there first
            assertThat(inserted).as("round %d", round).isEqualTo((round == 1) ? KEYS : 0);
            assertThat(new TestTables(this.jdbc).count(this.items)).isEqualTo(KEYS);
            assertThat(this.jdbc.sql("select count(*) from " + this.items + " where v not in ('asc', 'desc')")
                .query(Long.class)
                .single()).isZero();
        }
    }

    /** Starts both loads at the same moment and waits for both. */
    private List<LoadClient.Response> together(String query, String first, String second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<LoadClient.Response> one = CompletableFuture.supplyAsync(() -> {
            await(start);
            return this.client.load(this.items, query, "text/csv", first);
        }, this.executor);
        CompletableFuture<LoadClient.Response> two = CompletableFuture.supplyAsync(() -> {
            await(start);
            return this.client.load(this.items, query, "text/csv", second);
        }, this.executor);
        return List.of(one.get(), two.get());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String csv(List<Integer> ids, String value) {
        StringBuilder csv = new StringBuilder("id,v\n");
        ids.forEach((id) -> csv.append(id).append(',').append(value).append('\n'));
        return csv.toString();
    }
}
