package dev.bulkload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;

/**
 * The database restarts under a running load (a primary restart or a failover looks the same to the service): the
 * load in flight ends with a problem, neither hanging nor answering 500; readiness goes DOWN while the database is
 * away and UP again after; the registry ends the load's row; and a retry with its Idempotency-Key resumes it, so
 * every record is in the table exactly once. A PostgreSQL of its own, restarted by the test (fast shutdown, then
 * started again on the same data and port), serves a replica of the service.
 */
class DatabaseRestartTests {

    private static final int TOTAL = 6000;

    private Path data;

    private int dbPort;

    private EmbeddedPostgres postgres;

    private Replica service;

    private LoadClient client;

    @BeforeEach
    void startDatabaseAndService() throws IOException, SQLException {
        this.data = Files.createTempDirectory("bulkload-restart");
        try (ServerSocket free = new ServerSocket(0)) {
            this.dbPort = free.getLocalPort();
        }
        startDatabase();
        execute("create table public.restart_events (n integer not null, payload text)");
        this.service = new Replica(url(), "spring.datasource.hikari.connection-timeout=3000",
                "bulkload.loads.resolve-timeout=3s", "spring.datasource.hikari.minimum-idle=1");
        this.client = new LoadClient(this.service.port());
    }

    @AfterEach
    void stop() throws IOException {
        if (this.service != null) {
            this.service.close();
        }
        if (this.postgres != null) {
            this.postgres.close();
        }
        try (var files = Files.walk(this.data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
        }
    }

    @Test
    void aLoadInFlightEndsWithAProblemAndItsKeyedRetryWritesEveryRecordOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] body = events().getBytes(StandardCharsets.UTF_8);
        String query = "atomic=false&batchSize=500";
        String id;
        try (RawHttp upload = new RawHttp(this.service.port(), Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/restart_events/rows?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nConnection: close\r\nIdempotency-Key: " + key + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            int half = body.length / 2 + 5;
            upload.send(Arrays.copyOf(body, half));
            id = await().atMost(Duration.ofSeconds(20)).until(this::runningLoadWithCommittedChunks,
                    java.util.Objects::nonNull);

            this.postgres.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> this.client.get("/readyz").status() == 503);
            startDatabase();
            await().atMost(Duration.ofSeconds(30)).until(() -> this.client.get("/readyz").status() == 200);

            // the rest of the body: the load meets its lost connection at its next chunk
            upload.send(Arrays.copyOfRange(body, half, body.length));
            RawHttp.Response answer = upload.readUntilClosed();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().get("loadId").asString()).isEqualTo(id);
            assertThat(answer.body()).doesNotContain("SELECT", "INSERT", "COPY", "at org.");
        }
        // the registry ends the load's row: failed, with what stays committed
        JsonNode failed = await().atMost(Duration.ofSeconds(30))
            .until(() -> this.client.get("/api/v1/loads/" + id).json(),
                    (load) -> !"running".equals(load.get("status").asString()));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        long committed = failed.get("rowsCommitted").asLong();
        assertThat(committed).isPositive().isLessThan(TOTAL).isEqualTo(count("select count(*) from restart_events"));

        LoadClient.Response retry = this.client.load("restart_events", query, "text/csv", body, "Idempotency-Key", key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("id")).isEqualTo(id);
        assertThat(retry.number("resumedFromRecord")).isEqualTo(committed + 1);
        assertThat(count("select count(*) from restart_events")).isEqualTo(TOTAL);
        assertThat(count("select count(distinct n) from restart_events")).isEqualTo(TOTAL);
    }

    @Test
    void anAtomicLoadInFlightLeavesNothingAndTheServiceLoadsAgainAfterwards() throws Exception {
        byte[] body = events().getBytes(StandardCharsets.UTF_8);
        try (RawHttp upload = new RawHttp(this.service.port(), Duration.ofSeconds(60))) {
            upload.send("POST /api/v1/tables/restart_events/rows?batchSize=500 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n");
            int half = body.length / 2 + 5;
            upload.send(Arrays.copyOf(body, half));
            await().atMost(Duration.ofSeconds(20)).until(() -> runningLoads() == 1);
            this.postgres.close();
            startDatabase();
            upload.send(Arrays.copyOfRange(body, half, body.length));
            RawHttp.Response answer = upload.readUntilClosed();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.json().get("rowsCommitted").asLong()).isZero();
        }
        assertThat(count("select count(*) from restart_events")).isZero();
        LoadClient.Response again = this.client.load("restart_events", "", "text/csv", body);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(count("select count(*) from restart_events")).isEqualTo(TOTAL);
    }

    private String runningLoadWithCommittedChunks() {
        JsonNode loads = this.client.get("/api/v1/loads?status=running").json().get("loads");
        for (JsonNode load : loads) {
            if (load.get("rowsCommitted").asLong() >= 500) {
                return load.get("id").asString();
            }
        }
        return null;
    }

    private long runningLoads() {
        return this.client.get("/api/v1/loads?status=running").json().get("loads").size();
    }

    private void startDatabase() {
        try {
            this.postgres = EmbeddedPostgres.builder()
                .setDataDirectory(this.data)
                .setCleanDataDirectory(false)
                .setPort(this.dbPort)
                .setServerConfig("client_min_messages", "warning")
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + this.dbPort + "/postgres";
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String events() {
        StringBuilder csv = new StringBuilder("n,payload\n");
        for (int n = 1; n <= TOTAL; n++) {
            csv.append(n).append(",event number ").append(n).append('\n');
        }
        return csv.toString();
    }
}
