package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Two replicas on one database: this test's context (A) runs the loads, a second application context (B) lists,
 * follows and cancels them, as another pod behind the same Service would.
 */
@BulkLoaderTest
class LoadRegistryTests {

    static Replica other;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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
    void anAtomicLoadRunningOnOneReplicaIsListedFollowedAndCancelledThroughTheOtherAndLeavesNothing() throws Exception {
        String table = this.tables.users();
        try (ChunkedUpload upload = new ChunkedUpload(this.port, table, "batchSize=100", "text/csv")) {
            AtomicInteger sent = new AtomicInteger();
            upload.send("name,email\n" + rows(sent, 250));
            JsonNode listed = awaitRunning(table);
            String id = listed.get("id").asString();
            assertThat(listed.get("atomic").asBoolean()).isTrue();
            assertThat(listed.get("startedAt").isNull()).isFalse();
            assertThat(listed.get("finishedAt").isNull()).isTrue();

            long before = await().atMost(10, TimeUnit.SECONDS)
                .until(() -> this.b.get("/api/v1/loads/" + id).number("rowsReceived"), (rows) -> rows >= 200);
            upload.send(rows(sent, 300));
            await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> {
                    LoadClient.Response load = this.b.get("/api/v1/loads/" + id);
                    assertThat(load.number("rowsReceived")).isGreaterThanOrEqualTo(before + 300);
                    assertThat(load.number("bytesRead")).isPositive();
                    assertThat(load.text("status")).isEqualTo("running");
                });

            LoadClient.Response cancel = this.b.delete("/api/v1/loads/" + id);
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
            assertThat(cancel.json().get("cancelRequested").asBoolean()).isTrue();

            RawHttp.Response answer = keepSendingUntilAnswered(upload, sent);
            assertThat(answer.status()).as(answer.body()).isEqualTo(409);
            assertThat(answer.json().get("type").asString()).isEqualTo("urn:bulkload:problem:load-cancelled");
            assertThat(answer.json().get("loadId").asString()).isEqualTo(id);
            assertThat(answer.json().get("rowsCommitted").asLong()).isZero();
            assertThat(this.tables.count(table)).isZero();

            LoadClient.Response ended = this.b.get("/api/v1/loads/" + id);
            assertThat(ended.text("status")).isEqualTo("cancelled");
            assertThat(ended.number("rowsCommitted")).isZero();
            assertThat(ended.json().get("problem").get("type").asString())
                .isEqualTo("urn:bulkload:problem:load-cancelled");
            assertThat(ended.json().get("finishedAt").isNull()).isFalse();
            assertThat(this.a.get("/actuator/prometheus").body()).containsPattern(
                    "bulkload_loads_total\\{[^}]*status=\"cancelled\"[^}]*table=\"public\\." + table + "\"");
        }
    }

    @Test
    void aCancelledNonAtomicLoadKeepsItsCommittedChunksAndReportsThem() throws Exception {
        String table = this.tables.users();
        try (ChunkedUpload upload = new ChunkedUpload(this.port, table, "batchSize=100&atomic=false", "text/csv")) {
            AtomicInteger sent = new AtomicInteger();
            upload.send("name,email\n" + rows(sent, 250));
            String id = awaitRunning(table).get("id").asString();
            await().atMost(10, TimeUnit.SECONDS)
                .until(() -> this.b.get("/api/v1/loads/" + id).number("rowsCommitted"), (rows) -> rows >= 200);
            // rows of the chunk not yet committed show as received: the progress writer, not a chunk's commit
            await().atMost(10, TimeUnit.SECONDS)
                .until(() -> this.b.get("/api/v1/loads/" + id).number("rowsReceived"), (rows) -> rows > 200);

            assertThat(this.b.delete("/api/v1/loads/" + id).status()).isEqualTo(202);
            RawHttp.Response answer = keepSendingUntilAnswered(upload, sent);

            assertThat(answer.status()).as(answer.body()).isEqualTo(409);
            assertThat(answer.json().get("type").asString()).isEqualTo("urn:bulkload:problem:load-cancelled");
            long committed = answer.json().get("rowsCommitted").asLong();
            assertThat(committed).isGreaterThanOrEqualTo(200).isEqualTo(this.tables.count(table));
            LoadClient.Response ended = this.b.get("/api/v1/loads/" + id);
            assertThat(ended.text("status")).isEqualTo("cancelled");
            assertThat(ended.number("rowsCommitted")).isEqualTo(committed);
            assertThat(ended.number("rowsInserted")).isEqualTo(committed);
        }
    }

    @Test
    void everyRejectIsDownloadableInRecordOrderAsCsvAndNdjsonThoughTheReportListsTheFirstThousand() {
        String table = this.tables.users();
        StringBuilder csv = new StringBuilder("name,email\n");
        int bad = 0;
        for (int i = 1; i <= 1500; i++) {
            if (i % 5 == 0) {
                csv.append("u").append(i).append(",u").append(i).append("@x\n");
            }
            else {
                // NULL email: refused by NOT NULL (23502); the name holds a comma and a quote, so raw needs quoting
                csv.append("\"Smith, \"\"").append(i).append("\"\"\",\n");
                bad++;
            }
        }
        LoadClient.Response report = this.a.load(table, "onError=skip&batchSize=400", "text/csv", csv.toString());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.number("rowsRejected")).isEqualTo(bad);
        assertThat(report.json().get("rejects").size()).isEqualTo(1000);
        assertThat(report.json().get("rejectsTruncated").asBoolean()).isTrue();
        String id = report.text("id");

        LoadClient.Response download = this.b.get("/api/v1/loads/" + id + "/rejects");
        assertThat(download.status()).as(download.body()).isEqualTo(200);
        assertThat(download.contentType()).startsWith("text/csv");
        List<List<String>> records = Rfc4180.parse(download.body());
        assertThat(records.get(0)).containsExactly("record", "line", "column", "sqlState", "constraint", "message",
                "raw");
        assertThat(records).hasSize(bad + 1);
        List<Long> numbers = new ArrayList<>();
        for (List<String> record : records.subList(1, records.size())) {
            numbers.add(Long.parseLong(record.get(0)));
        }
        assertThat(numbers).isSorted().doesNotHaveDuplicates().allMatch((n) -> n % 5 != 0);
        List<String> first = records.get(1);
        assertThat(first.get(0)).isEqualTo("1");
        assertThat(first.get(1)).isEqualTo("2");
        assertThat(first.get(2)).isEqualTo("email");
        assertThat(first.get(3)).isEqualTo("23502");
        assertThat(first.get(6)).isEqualTo("\"Smith, \"\"1\"\"\",\n");
        List<String> last = records.get(records.size() - 1);
        assertThat(last.get(0)).isEqualTo("1499");

        LoadClient.Response ndjson = this.b.get("/api/v1/loads/" + id + "/rejects", "Accept", "application/x-ndjson");
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        String[] lines = ndjson.body().split("\n");
        assertThat(lines).hasSize(bad);
        JsonNode firstLine = tools.jackson.databind.json.JsonMapper.builder().build().readTree(lines[0]);
        assertThat(firstLine.get("record").asLong()).isEqualTo(1);
        assertThat(firstLine.get("sqlState").asString()).isEqualTo("23502");
        assertThat(firstLine.get("raw").asString()).isEqualTo("\"Smith, \"\"1\"\"\",\n");
        JsonNode lastLine = tools.jackson.databind.json.JsonMapper.builder().build().readTree(lines[bad - 1]);
        assertThat(lastLine.get("record").asLong()).isEqualTo(1499);
    }

    @Test
    void loadsAreListedNewestFirstAPageAtATimeAndFilteredByTableAndStatus() {
        String table = this.tables.users();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LoadClient.Response report = this.a.load(table, "", "text/csv", "name,email\nu" + i + ",u" + i + "@x\n");
            ids.add(report.text("id"));
        }
        LoadClient.Response failed = this.a.load(table, "", "text/csv", "name,email\nagain,u0@x\n");
        assertThat(failed.status()).isEqualTo(422);

        List<String> listed = new ArrayList<>();
        String next = null;
        do {
            LoadClient.Response page = this.b.get("/api/v1/loads?table=" + table + "&status=succeeded&limit=2"
                    + ((next != null) ? "&before=" + next : ""));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("loads").forEach((load) -> {
                assertThat(load.get("table").asString()).isEqualTo("public." + table);
                assertThat(load.get("status").asString()).isEqualTo("succeeded");
                listed.add(load.get("id").asString());
            });
            next = page.text("next");
        }
        while (next != null);
        java.util.Collections.reverse(ids);
        assertThat(listed).containsExactlyElementsOf(ids);

        LoadClient.Response failures = this.b.get("/api/v1/loads?table=public." + table + "&status=failed");
        assertThat(failures.json().get("loads")).hasSize(1);
        JsonNode problem = failures.json().get("loads").get(0).get("problem");
        assertThat(problem.get("type").asString()).isEqualTo("urn:bulkload:problem:row-rejected");
        assertThat(problem.get("loadId").asString()).isEqualTo(failed.text("loadId"));
        assertThat(failures.json().get("loads").get(0).get("finishedAt").isNull()).isFalse();
    }

    @Test
    void badListParametersAreInvalidParameterProblems() {
        assertThat(this.b.get("/api/v1/loads?status=done").json().get("parameter").asString()).isEqualTo("status");
        assertThat(this.b.get("/api/v1/loads?limit=0").status()).isEqualTo(400);
        assertThat(this.b.get("/api/v1/loads?before=nonsense").json().get("parameter").asString())
            .isEqualTo("before");
    }

    @Test
    void anUnknownLoadIsNotFoundAndAFinishedOneCannotBeCancelled() {
        assertThat(this.b.get("/api/v1/loads/00000000-0000-0000-0000-000000000000").json().get("type").asString())
            .isEqualTo("urn:bulkload:problem:load-not-found");
        assertThat(this.b.get("/api/v1/loads/not-a-uuid").status()).isEqualTo(404);
        String table = this.tables.users();
        String id = this.a.load(table, "", "text/csv", "name,email\nAnn,ann@x\n").text("id");
        LoadClient.Response cancel = this.b.delete("/api/v1/loads/" + id);
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.text("type")).isEqualTo("urn:bulkload:problem:load-not-running");
        assertThat(cancel.text("loadStatus")).isEqualTo("succeeded");
    }

    @Test
    void aDryRunIsRegisteredAsSucceededAndLeavesNothing() {
        String table = this.tables.users();
        LoadClient.Response report = this.a.load(table, "dryRun=true", "text/csv", "name,email\nAnn,ann@x\nBob,bob@x\n");
        assertThat(report.status()).isEqualTo(200);
        LoadClient.Response load = this.b.get("/api/v1/loads/" + report.text("id"));
        assertThat(load.text("status")).isEqualTo("succeeded");
        assertThat(load.json().get("dryRun").asBoolean()).isTrue();
        assertThat(load.number("rowsInserted")).isEqualTo(2);
        assertThat(load.number("rowsCommitted")).isZero();
        assertThat(this.tables.count(table)).isZero();
    }

    @Test
    void aMultiChunkAtomicLoadEndsSucceededWithItsCountsAndOptions() {
        String table = this.tables.users();
        AtomicInteger sent = new AtomicInteger();
        LoadClient.Response report = this.a.load(table, "batchSize=100&onError=skip", "text/csv",
                "name,email\n" + rows(sent, 450));
        assertThat(report.status()).isEqualTo(200);
        LoadClient.Response load = this.b.get("/api/v1/loads/" + report.text("id"));
        assertThat(load.text("status")).isEqualTo("succeeded");
        assertThat(load.number("rowsReceived")).isEqualTo(450);
        assertThat(load.number("rowsInserted")).isEqualTo(450);
        assertThat(load.number("rowsCommitted")).isEqualTo(450);
        assertThat(load.number("batches")).isEqualTo(5);
        assertThat(load.number("bytesRead")).isEqualTo(report.number("bytesRead"));
        assertThat(load.json().get("options").get("onError").asString()).isEqualTo("skip");
        assertThat(load.json().get("options").get("batchSize").asInt()).isEqualTo(100);
        assertThat(load.text("format")).isEqualTo("csv");
        assertThat(load.text("method")).isEqualTo("copy");
    }

    @Test
    void theOpenApiDocumentDescribesTheRegistry() {
        JsonNode paths = this.a.get("/v3/api-docs").json().get("paths");
        assertThat(paths.get("/api/v1/loads").has("get")).isTrue();
        assertThat(paths.get("/api/v1/loads/{id}").has("get")).isTrue();
        assertThat(paths.get("/api/v1/loads/{id}").has("delete")).isTrue();
        JsonNode rejects = paths.get("/api/v1/loads/{id}/rejects").get("get").get("responses").get("200").get("content");
        assertThat(rejects.has("text/csv")).isTrue();
        assertThat(rejects.has("application/x-ndjson")).isTrue();
    }

    /** The load as replica B lists it among the running loads of {@code table}. */
    private JsonNode awaitRunning(String table) {
        return await().atMost(10, TimeUnit.SECONDS).until(() -> {
            JsonNode loads = this.b.get("/api/v1/loads?status=running&table=" + table).json().get("loads");
            return loads.isEmpty() ? null : loads.get(0);
        }, (load) -> load != null);
    }

    /** Goes on sending rows, slowly, until the service answers (a cancelled load answers at the next rows). */
    private static RawHttp.Response keepSendingUntilAnswered(ChunkedUpload upload, AtomicInteger sent)
            throws Exception {
        CompletableFuture<RawHttp.Response> answer = upload.answer();
        // a client trickling its upload: ten rows at every poll until the answer comes or the connection is gone
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
            .until(() -> answer.isDone() || !upload.send(rows(sent, 10)));
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static String rows(AtomicInteger sent, int count) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int n = sent.incrementAndGet();
            rows.append("u").append(n).append(",u").append(n).append("@x\n");
        }
        return rows.toString();
    }
}
