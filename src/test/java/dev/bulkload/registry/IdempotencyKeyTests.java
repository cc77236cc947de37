package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestTables;

/**
 * Idempotency-Key across two replicas on one database: this test's context (A) and a second application context
 * (B). Replays, 409 while running, 422 for another request, and the resume of a non-atomic load cut off mid-upload
 * into a table without any unique key.
 */
@BulkLoaderTest
class IdempotencyKeyTests {

    private static final String REPLAYED = "Idempotent-Replayed";

    static Replica other;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LoadHousekeeping housekeeping;

    TestTables tables;

    LoadClient a;

    LoadClient b;

    @Autowired
    Environment environment;

    @AfterAll
    static void stopOtherReplica() {
        if (other != null) {
            other.close();
            other = null;
        }
    }

    @BeforeEach
    void setUp() {
        if (other == null) {
            // reaches the database as this context does: directly, or through the same pooler (subclasses)
            other = Replica.like(this.environment);
        }
        this.tables = new TestTables(this.jdbc);
        this.a = new LoadClient(this.port);
        this.b = new LoadClient(other.port());
    }

    @Test
    void aRetryOfALoadThatSucceededIsAnsweredAgainByTheOtherReplicaAndWritesNothing() {
        String table = this.tables.users();
        String key = UUID.randomUUID().toString();
        String body = "name,email\nAnn,ann@x\nBob,bob@x\n";
        LoadClient.Response first = this.a.load(table, "", "text/csv", body, "Idempotency-Key", "\"" + key + "\"");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.header(REPLAYED)).isNull();

        // the same key, bare this time: a structured-field string either way
        LoadClient.Response retry = this.b.load(table, "", "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"))
            .isEqualTo("/api/v1/loads/" + first.text("id"));
        assertThat(this.tables.count(table)).isEqualTo(2);

        LoadClient.Response load = this.b.get("/api/v1/loads/" + first.text("id"));
        assertThat(load.text("idempotencyKey")).isEqualTo(key);
    }

    @Test
    void theSameKeyWithAnotherBodyOrOtherOptionsIsRefusedWith422AndWritesNothing() {
        String table = this.tables.users();
        String key = UUID.randomUUID().toString();
        assertThat(this.a.load(table, "", "text/csv", "name,email\nAnn,ann@x\n", "Idempotency-Key", key).status())
            .isEqualTo(200);

        LoadClient.Response otherBody = this.b.load(table, "", "text/csv", "name,email\nBob,bob@x\n",
                "Idempotency-Key", key);
        assertThat(otherBody.status()).as(otherBody.body()).isEqualTo(422);
        assertThat(otherBody.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        assertThat(otherBody.header(REPLAYED)).isNull();

        LoadClient.Response longerBody = this.b.load(table, "", "text/csv", "name,email\nAnn,ann@x\nBob,bob@x\n",
                "Idempotency-Key", key);
        assertThat(longerBody.status()).as(longerBody.body()).isEqualTo(422);

        LoadClient.Response otherOptions = this.b.load(table, "onError=skip", "text/csv", "name,email\nAnn,ann@x\n",
                "Idempotency-Key", key);
        assertThat(otherOptions.status()).as(otherOptions.body()).isEqualTo(422);
        assertThat(otherOptions.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        assertThat(this.tables.count(table)).isEqualTo(1);
    }

    @Test
    void aRetryWhileTheFirstLoadRunsIsRefusedWith409ByTheOtherReplicaThenReplayedOnceItEnded() throws Exception {
        String table = this.tables.users();
        String key = UUID.randomUUID().toString();
        String rows = rows(1, 300);
        try (RawHttp upload = new RawHttp(this.port, Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/" + table + "/rows?batchSize=100 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nIdempotency-Key: " + key + "\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n");
            sendChunk(upload, "name,email\n" + rows);
            awaitRunning(table);

            LoadClient.Response busy = this.b.load(table, "batchSize=100", "text/csv", "name,email\n" + rows,
                    "Idempotency-Key", key);
            assertThat(busy.status()).as(busy.body()).isEqualTo(409);
            assertThat(busy.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-in-use");
            assertThat(busy.header("Retry-After")).isNotNull();

            upload.send("0\r\n\r\n");
            RawHttp.Response first = upload.readUntilClosed();
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("rowsInserted").asLong()).isEqualTo(300);

            // the body as sent in one piece has the same bytes as the chunked one
            LoadClient.Response replay = this.b.load(table, "batchSize=100", "text/csv", "name,email\n" + rows,
                    "Idempotency-Key", key);
            assertThat(replay.status()).as(replay.body()).isEqualTo(200);
            assertThat(replay.header(REPLAYED)).isEqualTo("true");
            assertThat(replay.text("id")).isEqualTo(first.json().get("id").asString());
            assertThat(this.tables.count(table)).isEqualTo(300);
        }
    }

    @Test
    void theSameLoadSentToBothReplicasAtOnceIsWrittenOnce() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        // small enough to arrive whole with the request: a 409 that leaves it unread cannot race a reset
        int total = 300;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=100";
        java.util.concurrent.CompletableFuture<LoadClient.Response> onA = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> this.a.load(table, query, "text/csv", body, "Idempotency-Key", key));
        java.util.concurrent.CompletableFuture<LoadClient.Response> onB = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> this.b.load(table, query, "text/csv", body, "Idempotency-Key", key));
        java.util.List<LoadClient.Response> answers = java.util.List.of(onA.get(60, TimeUnit.SECONDS),
                onB.get(60, TimeUnit.SECONDS));

        // one of them loads; the other either found it running (409) or found it done (its answer, replayed)
        assertThat(answers).allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isIn(200, 409));
        assertThat(answers).filteredOn((answer) -> answer.status() == 200 && answer.header(REPLAYED) == null)
            .hasSize(1);
        assertThat(this.tables.count(table)).isEqualTo(total);
        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(this.tables.count(table)).isEqualTo(total);
    }

    @Test
    void aFailureAboutThePayloadIsReplayedButAnotherKeyLoadsTheFixedPayload() {
        String table = this.tables.users();
        String key = UUID.randomUUID().toString();
        String bad = "name,email\nAnn,ann@x\nBob,\n";
        LoadClient.Response first = this.a.load(table, "", "text/csv", bad, "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(422);
        assertThat(first.text("type")).isEqualTo("urn:bulkload:problem:row-rejected");

        LoadClient.Response retry = this.b.load(table, "", "text/csv", bad, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(422);
        assertThat(retry.header(REPLAYED)).isEqualTo("true");
        assertThat(retry.contentType()).startsWith("application/problem+json");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(this.tables.count(table)).isZero();

        LoadClient.Response fixed = this.b.load(table, "", "text/csv", "name,email\nAnn,ann@x\nBob,bob@x\n",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(fixed.status()).isEqualTo(200);
    }

    @Test
    void anIdempotencyKeyThatIsNotAShortStringIsA400() {
        String table = this.tables.users();
        LoadClient.Response tooLong = this.a.load(table, "", "text/csv", "name,email\nAnn,ann@x\n",
                "Idempotency-Key", "k".repeat(256));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(tooLong.text("parameter")).isEqualTo("Idempotency-Key");
        LoadClient.Response unclosed = this.a.load(table, "", "text/csv", "name,email\nAnn,ann@x\n",
                "Idempotency-Key", "\"abc");
        assertThat(unclosed.status()).isEqualTo(400);
        assertThat(this.tables.count(table)).isZero();
        // unique: the suite runs this class more than once on one database (through each pooler too)
        String longest = (UUID.randomUUID() + "k".repeat(255)).substring(0, 255);
        assertThat(this.a.load(table, "", "text/csv", "name,email\nAnn,ann@x\n", "Idempotency-Key", longest)
            .status()).isEqualTo(200);
    }

    @Test
    void aNonAtomicLoadCutOffMidUploadIsResumedByItsRetryAndEveryRecordIsInTheTableExactlyOnce() throws Exception {
        // no primary key, no unique key: only the ledger keeps a retry from adding rows twice
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 5000;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=200";
        String id;
        long committedBefore;
        try (RawHttp upload = new RawHttp(this.port, Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/" + table + "/rows?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nIdempotency-Key: " + key + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            // a bit over half the body, cutting a record in two
            int half = body.length / 2 + 7;
            byte[] part = new byte[half];
            System.arraycopy(body, 0, part, 0, half);
            upload.send(part);
            JsonNode running = awaitRunning(table);
            id = running.get("id").asString();
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> this.b.get("/api/v1/loads/" + id).number("rowsCommitted"), (rows) -> rows >= 1000);
        }
        // the client is gone: the load fails as client-disconnected, its committed chunks stay
        JsonNode failed = await().atMost(20, TimeUnit.SECONDS)
            .until(() -> this.b.get("/api/v1/loads/" + id).json(), (load) -> !"running".equals(load.get("status").asString()));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");
        committedBefore = failed.get("rowsCommitted").asLong();
        assertThat(committedBefore).isPositive().isLessThan(total).isEqualTo(this.tables.count(table));

        // a retry with another body under the same key writes nothing (a short one: read whole before the answer)
        LoadClient.Response tampered = this.b.load(table, query, "text/csv", events(1000, 17), "Idempotency-Key",
                key);
        assertThat(tampered.status()).as(tampered.body()).isEqualTo(422);
        assertThat(tampered.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-reused");
        assertThat(this.tables.count(table)).isEqualTo(committedBefore);

        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("id")).isEqualTo(id);
        assertThat(retry.number("rowsReceived")).isEqualTo(total);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(retry.number("resumedFromRecord")).isEqualTo(committedBefore + 1);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single())
            .isEqualTo(total);

        LoadClient.Response load = this.a.get("/api/v1/loads/" + id);
        assertThat(load.text("status")).isEqualTo("succeeded");
        assertThat(load.text("idempotencyKey")).isEqualTo(key);
        assertThat(load.number("resumedFromRecord")).isEqualTo(committedBefore + 1);
        assertThat(load.number("rowsCommitted")).isEqualTo(total);
        long ledger = this.jdbc.sql("select sum(rows_inserted) from bulkload.load_chunks where load_id = ?::uuid")
            .param(id)
            .query(Long.class)
            .single();
        assertThat(ledger).isEqualTo(total);

        LoadClient.Response replay = this.a.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(replay.number("resumedFromRecord")).isEqualTo(committedBefore + 1);
        assertThat(this.tables.count(table)).isEqualTo(total);
    }

    @Test
    void aKeyWhoseLoadStoppedWritingItsHeartbeatIsTakenOverByARetryButNotBefore() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 5000;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=200";
        JsonNode failed = cutOff(table, query, "", key, body, "rowsCommitted", 1000);
        String id = failed.get("id").asString();
        long committed = failed.get("rowsCommitted").asLong();
        // the row as a replica that dies mid-load leaves it: running, its last heartbeat just written
        this.jdbc.sql("update bulkload.loads set status = 'running', finished_at = null, problem = null, "
                + "updated_at = now() where id = ?::uuid").param(id).update();

        // a short body: a 409 leaves it unread, which must not reset the connection before the answer
        LoadClient.Response busy = this.b.load(table, query, "text/csv", events(3, null), "Idempotency-Key", key);
        assertThat(busy.status()).as(busy.body()).isEqualTo(409);
        assertThat(busy.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-in-use");
        assertThat(busy.text("loadId")).isEqualTo(id);

        // no heartbeat for longer than bulkload.loads.abandoned-after (30 s): its replica is gone
        this.jdbc.sql("update bulkload.loads set updated_at = now() - interval '1 minute' where id = ?::uuid")
            .param(id)
            .update();
        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("id")).isEqualTo(id);
        assertThat(retry.number("resumedFromRecord")).isEqualTo(committed + 1);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single())
            .isEqualTo(total);
    }

    @Test
    void aKeyWhoseLoadDiedBeforeCommittingAnythingStartsANewLoadAndTheDeadOneEndsAbandoned() {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        String body = events(3, null);
        LoadClient.Response first = this.a.load(table, "", "text/csv", body, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(200);
        String id = first.text("id");
        this.jdbc.sql("delete from public." + table).update();
        // as an atomic load whose replica died before its COMMIT leaves its row: running, nothing committed
        this.jdbc.sql("update bulkload.loads set status = 'running', finished_at = null, response_status = null, "
                + "response_body = null, chunks_committed = 0, updated_at = now() - interval '1 minute' "
                + "where id = ?::uuid").param(id).update();

        LoadClient.Response retry = this.b.load(table, "", "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.header(REPLAYED)).isNull();
        assertThat(retry.text("id")).isNotEqualTo(id);
        assertThat(this.tables.count(table)).isEqualTo(3);
        LoadClient.Response dead = this.a.get("/api/v1/loads/" + id);
        assertThat(dead.text("status")).isEqualTo("failed");
        assertThat(dead.json().get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:abandoned");
        assertThat(dead.json().get("idempotencyKey").isNull()).isTrue();
    }

    @Test
    void aParallelLoadCutOffIsResumedByTheOtherReplicaWhichWritesExactlyTheRecordsNoCommittedChunkHolds()
            throws Exception {
        String table = this.tables.create("parallel", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 6000;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&parallel=3&batchSize=150";
        JsonNode cut = cutOff(table, query, "", key, body, "rowsCommitted", 600);
        String id = cut.get("id").asString();
        long committedBefore = cut.get("rowsCommitted").asLong();
        assertThat(committedBefore).isEqualTo(this.tables.count(table)).isLessThan(total);

        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("id")).isEqualTo(id);
        assertThat(retry.number("rowsReceived")).isEqualTo(total);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single())
            .isEqualTo(total);
        // the ledger covers every record once, whatever order its chunks committed in
        java.util.List<long[]> ranges = this.jdbc.sql("select first_record, last_record from bulkload.load_chunks "
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
        LoadClient.Response replay = this.a.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(this.tables.count(table)).isEqualTo(total);
    }

    @Test
    void aResumedLoadCountsEachCommittedRowOnceInTheMetricsAndIsItsSecondAttempt() throws Exception {
        String table = this.tables.create("counted", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 4000;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=200";
        double before = insertedRowsMetric(table);
        JsonNode cut = cutOff(table, query, "", key, body, "rowsCommitted", 200);
        assertThat(cut.get("attempt").asInt()).isEqualTo(1);
        // the retry on the same replica, whose metrics counted the first attempt's committed rows already
        LoadClient.Response retry = this.a.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(insertedRowsMetric(table) - before).isEqualTo(total);
        assertThat(this.a.get("/api/v1/loads/" + retry.text("id")).number("attempt")).isEqualTo(2);
    }

    /** {@code bulkload_rows_total} of replica A for the table's inserted rows. */
    private double insertedRowsMetric(String table) {
        return this.a.get("/actuator/prometheus").body().lines()
            .filter((line) -> line.startsWith("bulkload_rows_total{") && line.contains("table=\"public." + table + "\"")
                    && line.contains("outcome=\"inserted\""))
            .mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

    @Test
    void aGzipLoadCutOffIsResumedFromItsDecompressedRecords() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 20000;
        byte[] body = gzip(events(total, null));
        String query = "atomic=false&batchSize=500";
        JsonNode failed = cutOff(table, query, "Content-Encoding: gzip\r\n", key, body, "rowsCommitted", 1000);
        long committed = failed.get("rowsCommitted").asLong();
        assertThat(committed).isPositive().isLessThan(total).isEqualTo(this.tables.count(table));

        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key,
                "Content-Encoding", "gzip");
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(retry.number("resumedFromRecord")).isEqualTo(committed + 1);
        assertThat(retry.number("bytesRead")).isEqualTo(body.length);
        assertThat(this.tables.count(table)).isEqualTo(total);
        assertThat(this.jdbc.sql("select count(distinct n) from public." + table).query(Long.class).single())
            .isEqualTo(total);
    }

    @Test
    void aResumedLoadCountsTheRejectsOfTheChunksItSkippedAndStoresEveryRejectOnce() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text not null");
        String key = UUID.randomUUID().toString();
        int total = 6000;
        StringBuilder csv = new StringBuilder("n,payload\n");
        int bad = 0;
        for (int n = 1; n <= total; n++) {
            if (n % 10 == 0) {
                // NULL payload: refused by NOT NULL
                csv.append(n).append(",\n");
                bad++;
            }
            else {
                csv.append(n).append(",event ").append(n).append('\n');
            }
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=200&onError=skip";
        JsonNode failed = cutOff(table, query, "", key, body, "rowsCommitted", 1000);
        long received = failed.get("rowsReceived").asLong();
        assertThat(received).isLessThan(total);

        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.number("rowsReceived")).isEqualTo(total);
        assertThat(retry.number("rowsRejected")).isEqualTo(bad);
        assertThat(retry.number("rowsInserted")).isEqualTo(total - bad);
        assertThat(this.tables.count(table)).isEqualTo(total - bad);
        // the report lists the rejects of the whole payload, the earlier attempt's chunks' first
        java.util.List<Long> listed = new java.util.ArrayList<>();
        retry.json().get("rejects").forEach((reject) -> listed.add(reject.get("record").asLong()));
        assertThat(listed).hasSize(bad).isSorted().doesNotHaveDuplicates().allMatch((n) -> n % 10 == 0);
        assertThat(retry.json().get("rejectsTruncated").asBoolean()).isFalse();

        LoadClient.Response rejects = this.a.get("/api/v1/loads/" + retry.text("id") + "/rejects", "Accept",
                "application/x-ndjson");
        String[] lines = rejects.body().split("\n");
        assertThat(lines).hasSize(bad);
        assertThat(lines[0]).contains("\"record\":10,");
        assertThat(lines[bad - 1]).contains("\"record\":" + total + ",");
    }

    @Test
    void anAtomicLoadCutOffLeftNothingSoItsRetryRunsInFull() throws Exception {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        int total = 5000;
        byte[] body = events(total, null).getBytes(StandardCharsets.UTF_8);
        String query = "batchSize=200";
        JsonNode failed = cutOff(table, query, "", key, body, "rowsReceived", 1000);
        assertThat(failed.get("rowsCommitted").asLong()).isZero();
        assertThat(this.tables.count(table)).isZero();

        LoadClient.Response retry = this.b.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.header(REPLAYED)).isNull();
        assertThat(retry.json().has("resumedFromRecord")).isFalse();
        assertThat(retry.number("rowsInserted")).isEqualTo(total);
        assertThat(this.tables.count(table)).isEqualTo(total);

        LoadClient.Response replay = this.a.load(table, query, "text/csv", body, "Idempotency-Key", key);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(replay.text("id")).isEqualTo(retry.text("id"));
        assertThat(this.tables.count(table)).isEqualTo(total);
    }

    @Test
    void aKeyExpiresWithItsLoadAfterTheRetentionAndThenStartsANewLoad() {
        String table = this.tables.create("events", "n integer not null, payload text");
        String key = UUID.randomUUID().toString();
        String body = events(3, null);
        LoadClient.Response first = this.a.load(table, "", "text/csv", body, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(200);
        assertThat(this.b.load(table, "", "text/csv", body, "Idempotency-Key", key).header(REPLAYED))
            .isEqualTo("true");

        // the load finished longer ago than bulkload.loads.retention (7 days): the housekeeping purges it
        this.jdbc.sql("update bulkload.loads set finished_at = now() - interval '8 days' where id = ?::uuid")
            .param(first.text("id"))
            .update();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            this.housekeeping.run();
            return this.jdbc.sql("select count(*) from bulkload.loads where id = ?::uuid")
                .param(first.text("id"))
                .query(Long.class)
                .single() == 0;
        });

        LoadClient.Response again = this.b.load(table, "", "text/csv", body, "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header(REPLAYED)).isNull();
        assertThat(again.text("id")).isNotEqualTo(first.text("id"));
        assertThat(this.tables.count(table)).isEqualTo(6);
    }

    @Test
    void theLoadEndpointDocumentsTheHeaderWhatARetryGetsAndWhenKeysExpire() {
        JsonNode post = this.a.get("/v3/api-docs").json().get("paths").get("/api/v1/tables/{table}/rows").get("post");
        JsonNode header = null;
        for (JsonNode parameter : post.get("parameters")) {
            if ("Idempotency-Key".equals(parameter.get("name").asString())) {
                header = parameter;
            }
        }
        assertThat(header).isNotNull();
        assertThat(header.get("in").asString()).isEqualTo("header");
        assertThat(header.get("description").asString()).contains("255", "409", "422", "Idempotent-Replayed",
                "resumedFromRecord", "bulkload.loads.retention");
        assertThat(post.get("responses").get("200").get("headers").has("Idempotent-Replayed")).isTrue();
        assertThat(post.get("responses").get("409").toString()).contains("idempotency-key-in-use");
        assertThat(post.get("responses").get("422").toString()).contains("idempotency-key-reused");
    }

    /**
     * Sends a bit over half of {@code body} with its full Content-Length from replica A, waits until the load's
     * {@code field} reaches {@code atLeast}, then closes the socket as a killed client would.
     * @return the load, once it ended
     */
    private JsonNode cutOff(String table, String query, String headers, String key, byte[] body, String field,
            long atLeast) {
        String id;
        try (RawHttp upload = new RawHttp(this.port, Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/" + table + "/rows?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\n" + headers + "Idempotency-Key: " + key + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n");
            int half = body.length / 2 + 7;
            byte[] part = new byte[half];
            System.arraycopy(body, 0, part, 0, half);
            upload.send(part);
            id = awaitRunning(table).get("id").asString();
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> this.b.get("/api/v1/loads/" + id).number(field), (rows) -> rows >= atLeast);
        }
        JsonNode ended = await().atMost(20, TimeUnit.SECONDS)
            .until(() -> this.b.get("/api/v1/loads/" + id).json(),
                    (load) -> !"running".equals(load.get("status").asString()));
        assertThat(ended.get("status").asString()).isEqualTo("failed");
        assertThat(ended.get("problem").get("type").asString())
            .isEqualTo("urn:bulkload:problem:client-disconnected");
        return ended;
    }

    private static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** The load as replica B lists it among the running loads of {@code table}. */
    private JsonNode awaitRunning(String table) {
        return await().atMost(10, TimeUnit.SECONDS).until(() -> {
            JsonNode loads = this.b.get("/api/v1/loads?status=running&table=" + table).json().get("loads");
            return loads.isEmpty() ? null : loads.get(0);
        }, (load) -> load != null);
    }

    private static void sendChunk(RawHttp upload, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        upload.send(Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n");
    }

    private static String rows(int from, int count) {
        StringBuilder rows = new StringBuilder();
        for (int n = from; n < from + count; n++) {
            rows.append("u").append(n).append(",u").append(n).append("@x\n");
        }
        return rows.toString();
    }

    /** CSV of events 1..count; {@code changed}, when given, is a record whose payload differs. */
    private static String events(int count, Integer changed) {
        StringBuilder csv = new StringBuilder("n,payload\n");
        for (int n = 1; n <= count; n++) {
            csv.append(n).append(",event number ").append(n).append((changed != null && n == changed) ? "!" : "")
                .append('\n');
        }
        return csv.toString();
    }
}
