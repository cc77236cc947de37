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
 * Two loads upserting the same keys in opposite orders at the same time: both succeed and account
 * for every row, or (atomic, several chunks) one ends with a retryable 503 that leaves nothing.
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

    /**
     * One chunk per load: the merge locks rows in key order, so the two loads queue behind each other
     * instead of deadlocking; several chunks not atomic: a deadlocked chunk is rolled back and retried.
     */
    @ParameterizedTest(name = "method={0}, atomic={1}, batchSize={2}")
    @CsvSource({ "copy, true, 50000", "batch, true, 50000", "copy, false, 50000", "batch, false, 50000",
            "copy, false, 500", "batch, false, 500" })
    void oppositeOrdersOfTheSameKeysBothSucceedEveryTime(String method, boolean atomic, int batchSize) {
        String query = "mode=upsert&batchSize=" + batchSize + "&method=" + method + "&atomic=" + atomic;
        for (int round = 1; round <= ROUNDS; round++) {
            List<LoadClient.Response> responses = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> together(query, ascending(), descending()));
            long inserted = 0;
            for (LoadClient.Response response : responses) {
                assertThat(response.status()).as("round %d: %s", round, response.body()).isEqualTo(200);
                inserted += assertAccountsForEveryKey(response, round);
            }
            // each key is inserted exactly once, by whichever load got there first
            assertThat(inserted).as("round %d", round).isEqualTo((round == 1) ? KEYS : 0);
            assertTableHoldsOnlyLoadedValues();
        }
    }

    /**
     * Several chunks in one transaction each: a deadlock can recur on every retry (the earlier chunks'
     * locks stay held), so a load may end with 503 database-conflict and Retry-After, leaving nothing;
     * retried then, it succeeds.
     */
    @ParameterizedTest(name = "method={0}")
    @CsvSource({ "copy", "batch" })
    void atomicLoadsInSeveralChunksSucceedOrLeaveNothingAndSucceedWhenRetried(String method) {
        String query = "mode=upsert&batchSize=500&method=" + method;
        for (int round = 1; round <= ROUNDS; round++) {
            this.jdbc.sql("truncate " + this.items).update();
            List<String> bodies = List.of(ascending(), descending());
            List<LoadClient.Response> responses = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> together(query, bodies.get(0), bodies.get(1)));
            List<String> succeeded = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                LoadClient.Response response = responses.get(i);
                if (response.status() == 200) {
                    assertAccountsForEveryKey(response, round);
                    succeeded.add((i == 0) ? "asc" : "desc");
                    continue;
                }
                assertThat(response.status()).as("round %d: %s", round, response.body()).isEqualTo(503);
                assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:database-conflict");
                assertThat(response.header("Retry-After")).isNotBlank();
            }
            assertThat(succeeded).as("round %d: at least one load gets through", round).isNotEmpty();
            if (succeeded.size() == 1) {
                // the failed atomic load left nothing: every row holds the other load's value
                assertThat(this.jdbc.sql("select count(*) from " + this.items + " where v <> ?")
                    .param(succeeded.get(0))
                    .query(Long.class)
                    .single()).as("round %d", round).isZero();
                String retried = succeeded.get(0).equals("asc") ? bodies.get(1) : bodies.get(0);
                LoadClient.Response again = this.client.load(this.items, query, "text/csv", retried);
                assertThat(again.status()).as(again.body()).isEqualTo(200);
                assertAccountsForEveryKey(again, round);
            }
            assertTableHoldsOnlyLoadedValues();
        }
    }

    private long assertAccountsForEveryKey(LoadClient.Response response, int round) {
        JsonNode report = response.json();
        assertThat(report.get("rowsInserted").asLong() + report.get("rowsUpdated").asLong())
            .as("round %d: %s", round, response.body())
            .isEqualTo(KEYS);
        return report.get("rowsInserted").asLong();
    }

    private void assertTableHoldsOnlyLoadedValues() {
        assertThat(new TestTables(this.jdbc).count(this.items)).isEqualTo(KEYS);
        assertThat(this.jdbc.sql("select count(*) from " + this.items + " where v not in ('asc', 'desc')")
            .query(Long.class)
            .single()).isZero();
    }

    private static String ascending() {
        return csv(IntStream.rangeClosed(1, KEYS).boxed().toList(), "asc");
    }

    private static String descending() {
        return csv(IntStream.rangeClosed(1, KEYS).map((i) -> KEYS + 1 - i).boxed().toList(), "desc");
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
