package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabase;
import dev.bulkload.TestTables;
import dev.bulkload.registry.CommitCuttingProxy.Cut;

/**
 * A COMMIT whose connection dies: the service asks the registry row, which commits with the data, and answers the
 * truth: the report when it committed, the failure with the exact rows committed when it did not, 503
 * outcome-unknown when the database stays away (and GET /api/v1/loads/{id} tells once it is back). The loads run
 * on a replica whose database connections go through a proxy that cuts at a COMMIT, deterministically: before the
 * server sees it, or after the server answered it.
 */
@BulkLoaderTest
class LostCommitTests {

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private static CommitCuttingProxy proxy;

    private static Replica replica;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestTables tables;

    LoadClient cut;

    LoadClient direct;

    @BeforeAll
    static void startReplicaBehindProxy() throws Exception {
        startReplicaBehindProxy(TestDatabase.settings().url(), "session");
    }

    /** The replica whose connections go through the proxy to {@code url}, with this {@code pooling}. */
    static void startReplicaBehindProxy(String url, String pooling) throws Exception {
        Matcher matcher = HOST_PORT.matcher(url);
        assertThat(matcher.find()).as(url).isTrue();
        proxy = new CommitCuttingProxy(matcher.group(1), Integer.parseInt(matcher.group(2)));
        String proxied = url.substring(0, matcher.start()) + "//localhost:" + proxy.port() + "/"
                + url.substring(matcher.end());
        // no server-prepared statements: pgJDBC would otherwise send a COMMIT it has prepared by name only
        proxied += (proxied.contains("?") ? "&" : "?") + "prepareThreshold=0";
        replica = new Replica(proxied, "bulkload.database.pooling=" + pooling, "bulkload.loads.resolve-timeout=2s",
                "bulkload.loads.progress-interval=200ms",
                "bulkload.loads.housekeeping-interval=1h", "spring.datasource.hikari.connection-timeout=500",
                "spring.datasource.hikari.validation-timeout=250");
    }

    @AfterAll
    static void stop() throws Exception {
        replica.close();
        proxy.close();
    }

    @BeforeEach
    void setUp() {
        this.tables = new TestTables(this.jdbc);
        this.cut = new LoadClient(replica.port());
        this.direct = new LoadClient(this.port);
        proxy.reachable();
        // connections a test cut stay in the replica's pool until used: start each test with fresh ones
        replica.bean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
    }

    @Test
    void anAtomicLoadWhoseCommitAnswerIsLostIsAnsweredWithItsReport() {
        String table = this.tables.users();
        proxy.arm(Cut.AFTER_COMMIT, 0, false);
        LoadClient.Response response = this.cut.load(table, "batchSize=300", "text/csv", csv(1000));
        assertThat(proxy.fired()).isTrue();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(1000);
        assertThat(this.tables.count(table)).isEqualTo(1000);
        assertThat(this.direct.get("/api/v1/loads/" + response.text("id")).text("status")).isEqualTo("succeeded");
    }

    @Test
    void anAtomicLoadWhoseCommitNeverArrivedFailsWithNothingCommitted() {
        String table = this.tables.users();
        proxy.arm(Cut.BEFORE_COMMIT, 0, false);
        LoadClient.Response response = this.cut.load(table, "batchSize=300", "text/csv", csv(1000));
        assertThat(proxy.fired()).isTrue();
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:database-unavailable");
        assertThat(response.number("rowsCommitted")).isZero();
        assertThat(this.tables.count(table)).isZero();
        LoadClient.Response load = this.direct.get("/api/v1/loads/" + response.text("loadId"));
        assertThat(load.text("status")).isEqualTo("failed");
        assertThat(load.number("rowsCommitted")).isZero();
    }

    @Test
    void aNonAtomicLoadWhoseSecondChunksCommitAnswerIsLostCountsThatChunkAsCommitted() {
        String table = this.tables.users();
        proxy.arm(Cut.AFTER_COMMIT, 1, false);
        LoadClient.Response response = this.cut.load(table, "batchSize=100&atomic=false", "text/csv", csv(350));
        assertThat(proxy.fired()).isTrue();
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.number("rowsCommitted")).isEqualTo(200);
        assertThat(response.number("committedThroughRecord")).isEqualTo(200);
        assertThat(this.tables.count(table)).isEqualTo(200);
        LoadClient.Response load = this.direct.get("/api/v1/loads/" + response.text("loadId"));
        assertThat(load.text("status")).isEqualTo("failed");
        assertThat(load.number("rowsCommitted")).isEqualTo(200);
    }

    @Test
    void aNonAtomicLoadWhoseSecondChunksCommitNeverArrivedCountsOnlyTheFirst() {
        String table = this.tables.users();
        proxy.arm(Cut.BEFORE_COMMIT, 1, false);
        LoadClient.Response response = this.cut.load(table, "batchSize=100&atomic=false", "text/csv", csv(350));
        assertThat(proxy.fired()).isTrue();
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.number("rowsCommitted")).isEqualTo(100);
        assertThat(this.tables.count(table)).isEqualTo(100);
        LoadClient.Response load = this.direct.get("/api/v1/loads/" + response.text("loadId"));
        assertThat(load.number("rowsCommitted")).isEqualTo(100);
    }

    @Test
    void aNonAtomicLoadWhoseLastCommitAnswerIsLostSucceeds() {
        String table = this.tables.users();
        proxy.arm(Cut.AFTER_COMMIT, 3, false);
        LoadClient.Response response = this.cut.load(table, "batchSize=100&atomic=false", "text/csv", csv(350));
        assertThat(proxy.fired()).isTrue();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(350);
        assertThat(this.tables.count(table)).isEqualTo(350);
    }

    @Test
    void aCommitThatWentThroughWhileTheDatabaseStaysAwayIsOutcomeUnknownThenSucceeded() {
        String table = this.tables.users();
        proxy.arm(Cut.AFTER_COMMIT, 0, true);
        LoadClient.Response response = this.cut.load(table, "batchSize=300", "text/csv", csv(1000));
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:outcome-unknown");
        assertThat(response.header("Retry-After")).isNotNull();
        String id = response.text("loadId");
        assertThat(id).isNotNull();
        proxy.reachable();
        assertThat(this.tables.count(table)).isEqualTo(1000);
        JsonNode load = this.direct.get("/api/v1/loads/" + id).json();
        assertThat(load.get("status").asString()).isEqualTo("succeeded");
        assertThat(load.get("rowsCommitted").asLong()).isEqualTo(1000);
    }

    @Test
    void aCommitThatNeverArrivedWhileTheDatabaseStaysAwayIsOutcomeUnknownThenFailed() {
        String table = this.tables.users();
        proxy.arm(Cut.BEFORE_COMMIT, 0, true);
        LoadClient.Response response = this.cut.load(table, "", "text/csv", csv(10));
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:outcome-unknown");
        String id = response.text("loadId");
        proxy.reachable();
        // the replica writes the load's final state once the database is back
        await().atMost(20, TimeUnit.SECONDS)
            .untilAsserted(() -> assertThat(this.direct.get("/api/v1/loads/" + id).text("status")).isEqualTo("failed"));
        assertThat(this.tables.count(table)).isZero();
        JsonNode load = this.direct.get("/api/v1/loads/" + id).json();
        assertThat(load.get("rowsCommitted").asLong()).isZero();
        assertThat(load.get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:outcome-unknown");
    }

    private static String csv(int rows) {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("u").append(i).append(",u").append(i).append("@x\n");
        }
        return csv.toString();
    }
}
