package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public conformance corpora through the HTTP API (copies under {@code src/test/resources/corpora}, with their
 * licences): every JSONTestSuite parsing case as the value of a {@code jsonb} field of a one-record JSON array —
 * {@code n_} refused with a 4xx problem and no row, {@code y_} stored exactly as PostgreSQL's own
 * {@code json_populate_record} reads the same record (or refused where PostgreSQL refuses it too), {@code i_} never a
 * 5xx; and
 * every csv-spectrum file loaded into text columns, its rows exactly those of its JSON.
 */
@BulkLoaderTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceCorporaTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    LoadClient client;

    String table;

    @BeforeAll
    void createTable() {
        this.client = new LoadClient(this.port);
        this.table = new TestTables(this.jdbc).create("corpus", "id bigserial primary key, doc jsonb");
    }

    static Stream<Path> jsonCases() {
        return files("corpora/JSONTestSuite/test_parsing");
    }

    static Stream<Path> csvCases() {
        return files("corpora/csv-spectrum/csvs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonCases")
    void jsonTestSuiteCase(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] document = Files.readAllBytes(file);
        this.jdbc.sql("truncate " + this.table).update();
        LoadClient.Response response = this.client.load(this.table, "", "application/json", wrapped(document));
        String outcome = name + " answered " + response.status() + ": " + response.body();
        assertThat(response.status()).as(outcome).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(outcome).startsWith("application/problem+json");
            assertThat(count()).as(outcome).isZero();
        }
        if (name.startsWith("n_")) {
            assertThat(response.status()).as(outcome).isBetween(400, 499);
        }
        else if (name.startsWith("y_")) {
            Reading postgres = postgresReading(document);
            if (!postgres.accepted()) {
                // PostgreSQL refuses the record (a \u0000 escape into jsonb, say): refused here too, by the
                // service's own text check (400) or as the row error PostgreSQL gives (422)
                assertThat(response.status()).as(outcome).isIn(400, 422);
            }
            else {
                assertThat(response.status()).as(outcome).isEqualTo(200);
                assertThat(this.jdbc.sql("select doc::text from " + this.table).query(String.class).optional()
                    .orElse(null)).as(outcome).isEqualTo(postgres.value());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvCases")
    void csvSpectrumCase(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".csv", "");
        JsonNode expected = JSON.readTree(Files.readAllBytes(file.getParent().resolveSibling("json").resolve(name
                + ".json")));
        List<String> columns = new ArrayList<>(expected.get(0).propertyNames());
        String target = new TestTables(this.jdbc).create("spectrum",
                "n bigserial, " + String.join(", ", columns.stream().map((c) -> "\"" + c + "\" text").toList()));
        LoadClient.Response response = this.client.load(target, "", "text/csv", Files.readAllBytes(file));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Map<String, String>> rows = new ArrayList<>();
        this.jdbc.sql("select * from " + target + " order by n").query((rs, i) -> {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (String column : columns) {
                row.put(column, rs.getString(column));
            }
            return row;
        }).list().forEach(rows::add);
        List<Map<String, String>> wanted = new ArrayList<>();
        for (JsonNode record : expected) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (String column : columns) {
                row.put(column, record.get(column).asString());
            }
            wanted.add(row);
        }
        assertThat(rows).isEqualTo(wanted);
        this.jdbc.sql("drop table " + target).update();
    }

    /** {@code [{"doc": <document>}]}: the case as a record's value, its bytes untouched. */
    private static byte[] wrapped(byte[] document) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("[{\"doc\": ".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(document);
        body.writeBytes("\n}]".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /**
     * How PostgreSQL itself reads the record {@code {"doc": <document>}} into the table ({@code json_populate_record}):
     * the {@code doc} it gives, as text (null for SQL NULL), or not accepted.
     */
    private Reading postgresReading(byte[] document) {
        String array = new String(wrapped(document), StandardCharsets.UTF_8);
        String record = array.substring(1, array.length() - 1);
        String sql = "select (json_populate_record(null::public." + this.table + ", ?::json)).doc::text";
        try {
            String value = new TransactionTemplate(this.transactions).execute((status) -> {
                status.setRollbackOnly();
                return this.jdbc.sql(sql).param(record).query(String.class).optional().orElse(null);
            });
            return new Reading(true, value);
        }
        catch (DataAccessException ex) {
            return new Reading(false, null);
        }
    }

    /** PostgreSQL's reading of a record: whether it accepts it, and the value it gives. */
    private record Reading(boolean accepted, String value) {
    }

    private long count() {
        return this.jdbc.sql("select count(*) from " + this.table).query(Long.class).single();
    }

    private static Stream<Path> files(String folder) {
        try {
            Path path = Path.of(ConformanceCorporaTests.class.getClassLoader().getResource(folder).toURI());
            try (Stream<Path> files = Files.list(path)) {
                return files.sorted().toList().stream();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
