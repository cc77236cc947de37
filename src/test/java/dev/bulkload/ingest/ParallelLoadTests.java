package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Loads written by several connections at once ({@code parallel=N}): every record exactly once, counts that add up
 * and match the table, rejects in record order, maxErrors across the writers, a client going away stopping every
 * writer (a cancel: {@code ParallelCancelTests}), an Idempotency-Key resume that fills exactly the chunks missing
 * (a gap in the middle too), and the parameter's refusals.
 */
@BulkLoaderTest
class ParallelLoadTests {

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

    @ParameterizedTest(name = "method={0}")
    @ValueSource(strings = { "copy", "batch" })
    void everyRecordIsWrittenOnceAndTheCountsMatchTheTable(String method) {
        String table = this.tables.create("events", "n integer not null, payload text");
        int total = 5000;
        LoadClient.Response response = this.client.load(table,
                "atomic=false&parallel=3&batchSize=150&method=" + method, "text/csv", events(total, List.of()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsReceived")).isEqualTo(total);
        assertThat(response.number("rowsInserted")).isEqualTo(total);
        assertThat(response.number("rowsRejected")).isZero();
        assertThat(response.number("batches")).isEqualTo(34);
        assertThat(response.json().get("options").get("parallel").asInt()).isEqualTo(3);
        assertThat(distinct(table)).isEqualTo(total);
        assertThat(this.tables.count(table)).isEqualTo(total);
        JsonNode load = this.client.get("/api/v1/loads/" + response.text("id")).json();
        assertThat(load.get("status").asString()).isEqualTo("succeeded");
        assertThat(load.get("rowsCommitted").asLong()).isEqualTo(total);
        assertThat(load.get("rowsReceived").asLong()).isEqualTo(total);
    }

    @ParameterizedTest(name = "method={0}")
    @ValueSource(strings = { "copy", "batch" })
    void rejectsFromEveryWriterAreListedInRecordOrderAndAddUp(String method) {
        String table = this.tables.create("checked", "n integer not null check (n % 7 <> 0), payload text");
        List<Integer> bad = new ArrayList<>();
        int total = 700;
        for (int n = 7; n <= total; n += 7) {
            bad.add(n);
        }
        // every 50th record is refused by the reader (a missing field) instead of the database
        LoadClient.Response response = this.client.load(table,
                "atomic=false&parallel=3&batchSize=20&onError=skip&method=" + method, "text/csv",
                events(total, List.of(50, 100, 150)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        long rejected = report.get("rowsRejected").asLong();
        assertThat(rejected).isEqualTo(bad.size() + 3);
        assertThat(report.get("rowsInserted").asLong() + rejected).isEqualTo(report.get("rowsReceived").asLong())
            .isEqualTo(total);
        List<Long> records = report.get("rejects").valueStream().map((r) -> r.get("record").asLong()).toList();
        assertThat(records).isSorted().hasSize((int) rejected);
        assertThat(records).contains(7L, 49L, 50L, 100L, 700L);
        assertThat(this.tables.count(table)).isEqualTo(total - rejected);
    }

    @Test
    void maxErrorsCountsTheRejectsOfEveryWriterAndTheCommittedRowsAreReportedExactly() {
        String table = this.tables.create("limited", "n integer not null check (n % 10 <> 0), payload text");
        int total = 2000;
        LoadClient.Response response = this.client.load(table,
                "atomic=false&parallel=3&batchSize=50&onError=skip&maxErrors=12", "text/csv",
                events(total, List.of()));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:too-many-rejects");
        long committed = problem.get("rowsCommitted").asLong();
        assertThat(committed).isEqualTo(this.tables.count(table)).isLessThan(total);
        // each chunk of 50 has 5 rejects: no more than 12 rejects' worth of chunks committed
        long committedChunks = this.jdbc.sql("select count(distinct (n - 1) / 50) from public." + table)
            .query(Long.class)
            .single();
        assertThat(committedChunks * 5).isLessThanOrEqualTo(12);
        List<Long> records = problem.get("rejects").valueStream().map((r) -> r.get("record").asLong()).toList();
        assertThat(records).isSorted().isNotEmpty();
        JsonNode load = this.client.get("/api/v1/loads/" + problem.get("loadId").asString()).json();
        assertThat(load.get("rowsCommitted").asLong()).isEqualTo(committed);
    }

    @Test
    void aDatabaseRefusalWithOnErrorAbortFailsTheLoadAndReportsExactlyWhatCommitted() {
        String table = this.tables.create("aborted", "n integer not null check (n <> 1234), payload text");
        LoadClient.Response response = this.client.load(table, "atomic=false&parallel=2&batchSize=100", "text/csv",
                events(3000, List.of()));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.get("record").asLong()).isEqualTo(1234);
        long committed = problem.get("rowsCommitted").asLong();
        assertThat(committed).isEqualTo(this.tables.count(table));
        assertThat(this.jdbc.sql("select count(*) from public." + table + " where n between 1201 and 1300")
            .query(Long.class)
            .single()).isZero();
        if (problem.has("committedThroughRecord") && !problem.get("committedThroughRecord").isNull()) {
            long through = problem.get("committedThroughRecord").asLong();
            assertThat(this.jdbc.sql("select count(*) from public." + table + " where n <= ?")
                .param(through)
                .query(Long.class)
                .single()).isEqualTo(through);
        }
    }

    @Test
    void parallelWithAnAtomicLoadOrADryRunIsRefusedWith400() {
        String table = this.tables.create("refused", "n integer, payload text");
        for (String query : List.of("parallel=2", "atomic=true&parallel=2", "atomic=false&dryRun=true&parallel=2")) {
            LoadClient.Response response = this.client.load(table, query, "text/csv", events(3, List.of()));
            assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(400);
            assertThat(response.text("parameter")).isEqualTo("parallel");
            assertThat(response.text("detail")).contains("atomic=false");
        }
        assertThat(this.tables.count(table)).isZero();
        // parallel=1, the default, is the load's own connection alone: an atomic load takes it as it is
        LoadClient.Response one = this.client.load(table, "atomic=true&parallel=1", "text/csv", events(3, List.of()));
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(this.tables.count(table)).isEqualTo(3);
    }

    @Test
    void parallelAboveTheConfiguredMaximumOrBelowOneIsRefusedWith400() {
        String table = this.tables.create("refused", "n integer, payload text");
        for (String parallel : List.of("5", "0", "-1", "two")) {
            LoadClient.Response response = this.client.load(table, "atomic=false&parallel=" + parallel, "text/csv",
                    events(3, List.of()));
            assertThat(response.status()).as(parallel + ": " + response.body()).isEqualTo(400);
            assertThat(response.text("parameter")).isEqualTo("parallel");
        }
        assertThat(this.client.load(table, "atomic=false&parallel=4", "text/csv", events(3, List.of())).status())
            .isEqualTo(200);
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = { "upsert", "ignore", "update" })
    void parallelAboveOneWithAModeThatMatchesKeysIsRefusedWith400SayingWhy(String mode) {
        String table = this.tables.create("keyed", "n integer primary key, payload text");
        LoadClient.Response response = this.client.load(table, "atomic=false&parallel=2&mode=" + mode, "text/csv",
                events(3, List.of()));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("parallel");
        assertThat(response.text("detail")).contains("mode=insert", "record order");
        // parallel=1 is the load's own connection alone: every mode takes it (update's unmatched rows are skipped here)
        assertThat(this.client.load(table, "atomic=false&onError=skip&parallel=1&mode=" + mode, "text/csv",
                events(3, List.of())).status()).isEqualTo(200);
    }

    @Test
    void aClientGoingAwayStopsEveryWriterAndTheCommittedRowsAreExactlyThoseInTheTable() throws Exception {
        String table = this.tables.create("gone", "n integer not null, payload text");
        byte[] body = events(20000, List.of()).getBytes(StandardCharsets.UTF_8);
        String id;
        // lines sent: the header and the whole records (one more may be cut)
        long sentRecords = 0;
        try (RawHttp upload = new RawHttp(this.port, Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/" + table + "/rows?atomic=false&parallel=2&batchSize=100 HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: text/csv\r\nContent-Length: " + body.length + "\r\n\r\n");
            byte[] half = java.util.Arrays.copyOf(body, body.length / 2 + 5);
            upload.send(half);
            for (byte b : half) {
                sentRecords += (b == '\n') ? 1 : 0;
            }
            id = awaitRunning(table).get("id").asString();
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> this.client.get("/api/v1/loads/" + id).number("rowsCommitted"), (rows) -> rows >= 300);
        }
        JsonNode ended = await().atMost(20, TimeUnit.SECONDS)
            .until(() -> this.client.get("/api/v1/loads/" + id).json(),
                    (load) -> !"running".equals(load.get("status").asString()));
        assertThat(ended.get("status").asString()).isEqualTo("failed");
        assertThat(ended.get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");
        assertThat(ended.get("rowsCommitted").asLong()).isEqualTo(this.tables.count(table));
        // records read, each once: no more than the part of the body that was sent holds
        assertThat(ended.get("rowsReceived").asLong()).isBetween(ended.get("rowsCommitted").asLong(), sentRecords);
        assertNoWriterLeft(id);
    }

    @Test
    void aResumeWithTheSameKeyLoadsExactlyTheChunksMissingAGapInTheMiddleToo() throws Exception {
        String table = this.tables.create("resumed", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 4000;
        byte[] body = events(total, List.of()).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&parallel=2&batchSize=100";
        String id;
        try (RawHttp upload = new RawHttp(this.port, Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/" + table + "/rows?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nIdempotency-Key: " + key + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            upload.send(java.util.Arrays.copyOf(body, body.length / 2 + 7));
            id = awaitRunning(table).get("id").asString();
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> this.client.get("/api/v1/loads/" + id).number("rowsCommitted"), (rows) -> rows >= 800);
        }
        await().atMost(20, TimeUnit.SECONDS)
            .until(() -> this.client.get("/api/v1/loads/" + id).text("status"), (status) -> !"running".equals(status));
        // as if the chunk holding records 301-400 had not committed while later ones did: its rows and ledger row go
        int removed = this.jdbc.sql("delete from bulkload.load_chunks where load_id = ?::uuid and first_record = 301")
            .param(id)
            .update();
        assertThat(removed).isEqualTo(1);
        this.jdbc.sql("delete from public." + table + " where n between 301 and 400").update();
        long before = this.tables.count(table);
        long ledgerBefore = this.jdbc.sql("select count(*) from bulkload.load_chunks where load_id = ?::uuid")
            .param(id)
            .query(Long.class)
            .single();

        LoadClient.Response retry = this.client.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("id")).isEqualTo(id);
        assertThat(retry.number("rowsReceived")).isEqualTo(total);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(retry.number("resumedFromRecord")).isEqualTo(301);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(distinct(table)).isEqualTo(total);
        // the gap is one new chunk of its own: no new chunk holds a record an earlier one committed
        List<long[]> ranges = this.jdbc.sql("select first_record, last_record from bulkload.load_chunks "
                + "where load_id = ?::uuid order by first_record")
            .param(id)
            .query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
            .list();
        long next = 1;
        for (long[] range : ranges) {
            assertThat(range[0]).isEqualTo(next);
            next = range[1] + 1;
        }
        assertThat(next).isEqualTo(total + 1);
        assertThat(ranges).anySatisfy((range) -> assertThat(range).containsExactly(301, 400));
        assertThat(ranges.size()).isEqualTo(ledgerBefore + (total - before - 100) / 100 + 1);
        assertThat(this.jdbc.sql("select sum(rows_inserted) from bulkload.load_chunks where load_id = ?::uuid")
            .param(id)
            .query(Long.class)
            .single()).isEqualTo(total);
    }

    /** No backend works for the load once it ended: every writer's connection is back or closed. */
    private void assertNoWriterLeft(String id) {
        await().atMost(10, TimeUnit.SECONDS)
            .until(() -> this.jdbc.sql("select count(*) from pg_stat_activity where application_name = ? "
                    + "and state <> 'idle'").param("bulkload:" + id).query(Long.class).single(), (n) -> n == 0);
    }

    private long distinct(String table) {
        return this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single();
    }

    private JsonNode awaitRunning(String table) {
        return await().atMost(10, TimeUnit.SECONDS).until(() -> {
            JsonNode loads = this.client.get("/api/v1/loads?status=running&table=" + table).json().get("loads");
            return loads.isEmpty() ? null : loads.get(0);
        }, (load) -> load != null);
    }

    /** {@code n,payload} records 1 to count; those in {@code short} lack their payload field (the reader refuses). */
    private static String events(int count, List<Integer> shortRecords) {
        StringBuilder csv = new StringBuilder("n,payload\n");
        for (int n = 1; n <= count; n++) {
            csv.append(n);
            if (!shortRecords.contains(n)) {
                csv.append(",event number ").append(n);
            }
            csv.append('\n');
        }
        return csv.toString();
    }
}
