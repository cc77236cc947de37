package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bulkload.TestDatabase;

/**
 * The application as the image ships it: the packaged jar extracted into its layers and started as
 * {@code java -jar application.jar} against the test database; then SIGTERM with a load in flight.
 */
class PackagedApplicationIT {

    private static final Path APP = Path.of("target", "layered-it", "app");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Process process;

    private int port;

    private Path log;

    @BeforeAll
    static void extractLayers() throws Exception {
        Path extracted = Path.of("target", "layered-it", "layers");
        deleteRecursively(Path.of("target", "layered-it"));
        run(List.of(java(), "-Djarmode=tools", "-jar", "target/bulk-loader.jar", "extract", "--layers",
                "--destination", extracted.toString(), "--application-filename", "application.jar"));
        // the Dockerfile copies the layers into one directory in this order
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            Path from = extracted.resolve(layer);
            if (Files.isDirectory(from)) {
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Path to = APP.resolve(from.relativize(file).toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(file, to);
                    }
                }
            }
        }
        assertThat(APP.resolve("application.jar")).exists();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (this.process != null && this.process.isAlive()) {
            this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void extractedApplicationBecomesReadyAndServesLoads() throws Exception {
        start("30s");
        String table = createTable();
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/api/v1/tables/" + table + "/rows"))
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString("name,email\nAnn,ann@example.com\n"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(count(table)).isEqualTo(1);
        assertThat(get("/actuator/health/liveness")).contains("\"UP\"");
    }

    @Test
    void sigtermLetsALoadInFlightFinishThenExits() throws Exception {
        start("30s");
        String table = createTable();
        try (Socket socket = new Socket("localhost", this.port)) {
            OutputStream out = openUpload(socket, table, "");
            awaitActiveLoads(1);
            this.process.destroy();
            // the signal: once shutdown has begun, no new request is served while the upload is still open
            await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !servesNewRequests());
            chunk(out, "Cy,cy@example.com\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").contains("\"rowsInserted\":2");
        }
        assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count(table)).isEqualTo(2);
    }

    @Test
    void aLoadCutOffByTheShutdownTimeoutIsAnswered503AndLeavesNothing() throws Exception {
        start("2s");
        String table = createTable();
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.setSoTimeout(60_000);
            openUpload(socket, table, "");
            awaitActiveLoads(1);
            this.process.destroy();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 503")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .containsIgnoringCase("Retry-After:")
                .contains("\"type\":\"urn:bulkload:problem:shutting-down\"")
                .contains("\"loadId\":\"")
                .contains("\"rowsCommitted\":0")
                .containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
            assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count(table)).isZero();
    }

    @Test
    void aLoadBusyInTheDatabaseWhenTheShutdownTimeoutEndsIsCancelledThereAndNeverCommits() throws Exception {
        start("2s");
        String table = createTable();
        // every INSERT statement into the table waits a minute in the database first
        execute("create function public." + table + "_slow() returns trigger language plpgsql as "
                + "$$ begin perform pg_sleep(60); return null; end $$");
        execute("create trigger slow before insert on public." + table + " for each statement execute function public."
                + table + "_slow()");
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = openUpload(socket, table, "");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> sleepingLoadBackends() == 1);
            this.process.destroy();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 503")
                .contains("\"type\":\"urn:bulkload:problem:shutting-down\"")
                .contains("\"rowsCommitted\":0")
                .contains("nothing was committed");
            // cancelled in the database before the answer, not left to sleep out its minute and commit
            await().atMost(Duration.ofSeconds(10)).until(() -> sleepingLoadBackends() == 0);
            assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count(table)).isZero();
    }

    @Test
    void refusesToStartWithoutAnyAuthenticationSayingWhatToSet() throws Exception {
        Path log = launch("30s", List.of());
        assertThat(this.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(this.process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("bulk-loader refuses to start: bulkload.security.enabled is true")
            .contains("set bulkload.security.api-keys[0].name, .sha256 and .tables, or "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri");
    }

    @Test
    void withAnApiKeyConfiguredLoadsNeedIt() throws Exception {
        String key = "packaged-it-key";
        String sha256 = java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        start("30s", List.of("--bulkload.security.api-keys[0].name=packaged-it",
                "--bulkload.security.api-keys[0].sha256=" + sha256, "--bulkload.security.api-keys[0].tables[0]=public.*"));
        String table = createTable();
        HttpRequest.Builder load = HttpRequest.newBuilder(uri("/api/v1/tables/" + table + "/rows"))
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString("name,email\nAnn,ann@example.com\n"));
        HttpResponse<String> refused = this.http.send(load.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("urn:bulkload:problem:unauthorized");
        HttpResponse<String> loaded = this.http.send(load.header("X-API-Key", key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(count(table)).isEqualTo(1);
    }

    @Test
    void theExtractedJarStartsWithAnAotCacheTrainedByLoadsOfEveryFormatModeAndMethod() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "an AOT cache with method profiles needs JDK 25");
        // the image's training run, as the Dockerfile runs it, here against the test database and one round
        TestDatabase.Settings db = TestDatabase.settings();
        Path trainingLog = Path.of("target", "layered-it", "aot-training.log");
        ProcessBuilder training = new ProcessBuilder("sh",
                Path.of("src", "main", "docker", "train-aot-cache.sh").toAbsolutePath().toString(), "application.aot")
            .directory(APP.toFile())
            .redirectErrorStream(true)
            .redirectOutput(trainingLog.toFile());
        training.environment().put("JAVA", java());
        training.environment().put("TRAINING_DATABASE_URL", db.url());
        training.environment().put("TRAINING_DATABASE_USERNAME", db.username());
        training.environment().put("TRAINING_DATABASE_PASSWORD", db.password());
        training.environment().put("TRAINING_ROUNDS", "1");
        Process trainer = training.start();
        assertThat(trainer.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(trainer.exitValue()).as(Files.readString(trainingLog)).isZero();
        assertThat(Files.readString(trainingLog)).contains("not answered as expected")
            .containsPattern("AOT training run: \\d+ loads in \\d+ ms, 0 not answered as expected");
        assertThat(APP.resolve("application.aot")).isNotEmptyFile();

        // AOTMode=on: the JVM refuses to start rather than run without the cache
        start("30s", List.of("--bulkload.security.enabled=false"), List.of("-XX:AOTCache=application.aot",
                "-XX:AOTMode=on", "-Xlog:aot", "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTPrintTrainingInfo"));
        String table = createTable();
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/api/v1/tables/" + table + "/rows"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[{\"name\":\"Ann\",\"email\":\"ann@example.com\"}]"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String log = Files.readString(this.log);
        assertThat(log).contains("Opened AOT cache application.aot.", "Using AOT-linked classes: true");
        // the cache holds method profiles (mdo) of the request path of each format and writer, not only of the start
        for (String path : List.of("csv/CsvRecordReader", "json/JsonArrayReader", "json/NdjsonReader",
                "copy/StreamingCopyWriter", "batch/", "merge/StagedChunkWriter", "ingest/ChunkedWrite")) {
            assertThat(log).as(path).containsPattern(" M dev/bulkload/" + path + "[^ ]*\\..* mdo=0x");
        }
    }

    /** Starts the application with security off (these cases are about deployment, not callers). */
    private void start(String shutdownTimeout) throws Exception {
        start(shutdownTimeout, List.of("--bulkload.security.enabled=false"));
    }

    private void start(String shutdownTimeout, List<String> arguments) throws Exception {
        start(shutdownTimeout, arguments, List.of());
    }

    private void start(String shutdownTimeout, List<String> arguments, List<String> jvmOptions) throws Exception {
        launch(shutdownTimeout, arguments, jvmOptions);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> get("/actuator/health/readiness").contains("\"UP\""));
    }

    /** Starts the application's process and returns the file its output goes to. */
    private Path launch(String shutdownTimeout, List<String> arguments) throws Exception {
        return launch(shutdownTimeout, arguments, List.of());
    }

    private Path launch(String shutdownTimeout, List<String> arguments, List<String> jvmOptions) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        TestDatabase.Settings db = TestDatabase.settings();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", "application.jar", "--server.port=" + this.port,
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--spring.lifecycle.timeout-per-shutdown-phase=" + shutdownTimeout));
        command.addAll(arguments);
        Path log = Path.of("target", "layered-it", "application-" + this.port + ".log");
        this.log = log;
        this.process = new ProcessBuilder(command).directory(APP.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return log;
    }

    private OutputStream openUpload(Socket socket, String table, String query) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/tables/" + table + "/rows" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        chunk(out, "name,email\nAnn,ann@example.com\n");
        return out;
    }

    private boolean servesNewRequests() {
        try {
            HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitActiveLoads(int loads) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> get("/actuator/prometheus").contains("bulkload_loads_active{application=\"bulk-loader\"} "
                    + loads + ".0"));
    }

    private String get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
            .body();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String createTable() throws SQLException {
        String name = "packaged_" + System.nanoTime();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("create table public." + name + " (id bigserial primary key, name text not null, "
                    + "email text not null unique)");
        }
        return name;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Backends of loads (tagged bulkload:<id>) sleeping in the database. */
    private static long sleepingLoadBackends() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where application_name "
                        + "like 'bulkload:%' and wait_event = 'PgSleep'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from public." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        TestDatabase.Settings db = TestDatabase.settings();
        return DriverManager.getConnection(db.url(), db.username(), db.password());
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process extract = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(extract.waitFor()).as(output).isZero();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void aNonAtomicLoadCutOffByTheShutdownTimeoutSaysWhatItCommitted() throws Exception {
        start("2s");
        String table = createTable();
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = openUpload(socket, table, "?atomic=false&batchSize=1000");
            awaitActiveLoads(1);
            // more than the CSV reader's 64 KiB buffer: two chunks of 1,000 rows commit, the rest waits for more
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 3500; i++) {
                rows.append("u").append(i).append(",u").append(i).append("@example.com\n");
            }
            chunk(out, rows.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> count(table) >= 2000);
            this.process.destroy();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long committed = count(table);
            assertThat(response).startsWith("HTTP/1.1 503")
                .contains("\"type\":\"urn:bulkload:problem:shutting-down\"")
                .contains("\"rowsCommitted\":" + committed)
                // one row per record: the records committed are 1 to rowsCommitted
                .contains("\"committedThroughRecord\":" + committed);
            assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count(table)).isPositive();
    }

    @Test
    void aNonAtomicLoadWhoseServiceIsKilledIsResumedByItsRetryAfterARestartAndLoadsEveryRecordOnce() throws Exception {
        start("30s");
        // no unique key: only the ledger keeps the retry from adding the committed rows twice
        String table = "packaged_events_" + System.nanoTime();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("create table public." + table + " (n integer not null, payload text)");
        }
        int total = 20_000;
        StringBuilder csv = new StringBuilder("n,payload\n");
        for (int n = 1; n <= total; n++) {
            csv.append(n).append(",event ").append(n).append('\n');
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        String key = java.util.UUID.randomUUID().toString();
        String query = "?atomic=false&batchSize=500";
        try (Socket socket = new Socket("localhost", this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/tables/" + table + "/rows" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nIdempotency-Key: \"" + key + "\"\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(table) >= 2000);
            // SIGKILL: no shutdown, no answer, no final state written
            this.process.destroyForcibly();
            assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long committed = count(table);
        assertThat(committed).isPositive().isLessThan(total);

        start("30s");
        HttpRequest retry = HttpRequest.newBuilder(uri("/api/v1/tables/" + table + "/rows" + query))
            .header("Content-Type", "text/csv")
            .header("Idempotency-Key", "\"" + key + "\"")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        // 409 until the killed load's heartbeat is older than bulkload.loads.abandoned-after (30 s), so a retry no
        // longer finds it running (a 409 that leaves the body unread may reach the client as a reset: tried again too)
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> this.http.send(retry, HttpResponse.BodyHandlers.ofString()), (r) -> r.statusCode() != 409);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"rowsReceived\":" + total)
            .contains("\"rowsInserted\":" + total)
            .contains("\"resumedFromRecord\":" + (committed + 1));
        assertThat(count(table)).isEqualTo(total);
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(distinct n) from public." + table)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(total);
        }
    }
}
