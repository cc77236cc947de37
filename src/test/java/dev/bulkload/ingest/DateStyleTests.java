package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * dateStyle: how a load reads dates and timestamps whose field order is ambiguous, on every write path (COPY and
 * batch, straight into the table and through the stage, atomic and a commit per chunk), without leaving the
 * pooled connection changed.
 */
@BulkLoaderTest
class DateStyleTests {

    private static final String COLUMNS = "id int primary key, d date, ts timestamp, tz timestamptz";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
    }

    /** Every write path: (method, mode, atomic, onError) × format; each reads 31/12/2024 as 31 December. */
    @ParameterizedTest(name = "{0} {1} atomic={2} onError={3} {4}")
    @CsvSource({ "copy, insert, true, abort, csv", "batch, insert, true, abort, csv", "copy, upsert, true, abort, csv",
            "batch, upsert, true, abort, csv", "copy, insert, false, abort, csv", "batch, upsert, false, abort, csv",
            "copy, insert, true, skip, csv", "batch, insert, false, skip, csv", "copy, insert, true, abort, json",
            "batch, upsert, false, skip, ndjson", "copy, ignore, true, abort, ndjson",
            "batch, update, true, abort, json" })
    void dayFirstDatesLoadOnEveryPath(String method, String mode, boolean atomic, String onError, String format) {
        String table = this.tables.create("dmy", COLUMNS);
        if (mode.equals("update")) {
            this.jdbc.sql("insert into " + table + " (id) values (1), (2)").update();
        }
        String[][] rows = { { "1", "31/12/2024", "31/12/2024 13:45:10", "31/12/2024 13:45:10+02" },
                { "2", "1/2/2025", "01/02/2025 00:00", "1/2/2025 23:59:59.5 UTC" } };
        String query = "dateStyle=DMY&method=" + method + "&mode=" + mode + "&atomic=" + atomic + "&onError="
                + onError + (mode.equals("insert") ? "" : "&key=id") + "&batchSize=1";
        LoadClient.Response response = this.client.load(table, query, contentType(format), body(format, rows));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsRejected")).isZero();
        assertThat(values(table)).containsExactly(
                Map.of("id", 1, "d", "2024-12-31", "ts", "2024-12-31 13:45:10", "tz", "2024-12-31 11:45:10+00"),
                Map.of("id", 2, "d", "2025-02-01", "ts", "2025-02-01 00:00:00", "tz", "2025-02-01 23:59:59.5+00"));
        assertThat(response.json().get("options").get("dateStyle").asString()).isEqualTo("DMY");
    }

    /** Each style reads its own order; ISO is PostgreSQL's default reading (month first); ISO input reads alike. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "DMY, 31/12/2024, 31/12/2024 08:00, 31.12.2024 08:00+01", "dmy, 31-12-2024, 31-12-2024 08:00, 31/12/2024 08:00+01",
            "MDY, 12/31/2024, 12/31/2024 08:00, 12/31/2024 08:00+01", "Mdy, 12-31-2024, 12.31.2024 08:00, 12/31/2024 08:00+01",
            "YMD, 2024/12/31, 2024/12/31 08:00, 24/12/31 08:00+01", "ISO, 12/31/2024, 12/31/2024 08:00, 12/31/2024 08:00+01",
            "DMY, 2024-12-31, 2024-12-31 08:00, 2024-12-31T08:00+01", "MDY, 2024-12-31, 2024-12-31 08:00, 2024-12-31 08:00+01",
            "YMD, 2024-12-31, 2024-12-31T08:00:00, 2024-12-31 07:00Z", "ISO, 2024-12-31, 2024-12-31 08:00, 2024-12-31 08:00+01" })
    void eachStyleReadsItsOrder(String style, String date, String timestamp, String timestamptz) {
        String table = this.tables.create("styles", COLUMNS);
        LoadClient.Response response = this.client.load(table, "dateStyle=" + style, "application/x-ndjson",
                body("ndjson", new String[][] { { "1", date, timestamp, timestamptz } }));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(values(table)).containsExactly(
                Map.of("id", 1, "d", "2024-12-31", "ts", "2024-12-31 08:00:00", "tz", "2024-12-31 07:00:00+00"));
        assertThat(response.json().get("options").get("dateStyle").asString())
            .isEqualTo(style.toUpperCase(Locale.ROOT));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "copy, insert", "batch, insert", "copy, upsert", "batch, upsert" })
    void aDateTheStyleRefusesIsRefusedNamingItsColumn(String method, String mode) {
        String table = this.tables.create("refused", COLUMNS);
        String[][] rows = { { "1", "31/12/2024", null, null }, { "2", "12/31/2024", null, null },
                { "3", "01/02/2025", "13/01/2025 10:00", null } };
        String query = "dateStyle=DMY&method=" + method + "&mode=" + mode + (mode.equals("upsert") ? "&key=id" : "");
        LoadClient.Response aborted = this.client.load(table, query, "text/csv", body("csv", rows));
        assertThat(aborted.status()).as(aborted.body()).isEqualTo(422);
        assertThat(aborted.number("record")).isEqualTo(2);
        assertThat(aborted.text("column")).isEqualTo("d");
        assertThat(aborted.text("sqlState")).isEqualTo("22008");
        assertThat(this.tables.count(table)).isZero();

        LoadClient.Response skipped = this.client.load(table, query + "&onError=skip", "text/csv", body("csv", rows));
        assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
        assertThat(skipped.number("rowsInserted")).isEqualTo(2);
        assertThat(skipped.number("rowsRejected")).isEqualTo(1);
        JsonNode reject = skipped.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("column").asString()).isEqualTo("d");
        assertThat(values(table)).extracting((row) -> row.get("d")).containsExactly("2024-12-31", "2025-02-01");
        assertThat(values(table)).extracting((row) -> row.get("ts")).containsExactly(null, "2025-01-13 10:00:00");
    }

    @Test
    void theCheckInTheStageReadsDatesInTheLoadsStyle() {
        // MDY: 12/31 fits, 31/12 does not; the staged type check (pg_input_is_valid) says so per row, in this style
        String table = this.tables.create("staged", COLUMNS);
        String[][] rows = { { "1", "12/31/2024", "12/31/2024 10:00", "12/31/2024 10:00+00" },
                { "2", "31/12/2024", "12/31/2024 10:00", "12/31/2024 10:00+00" },
                { "3", "12/31/2024", "12/31/2024 10:00", "31/12/2024 10:00+00" } };
        LoadClient.Response response = this.client.load(table, "dateStyle=MDY&onError=skip&mode=upsert&key=id",
                "text/csv", body("csv", rows));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("rejects")).extracting((reject) -> reject.get("column").asString())
            .containsExactly("d", "tz");
        assertThat(values(table)).extracting((row) -> row.get("id")).containsExactly(1);
    }

    @Test
    void withoutDateStyleTheDatabasesReadingApplies() {
        String table = this.tables.create("plain", COLUMNS);
        LoadClient.Response response = this.client.load(table, "", "text/csv", "id,d\n1,31/12/2024\n");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.text("column")).isEqualTo("d");
        assertThat(this.client.load(table, "", "text/csv", "id,d\n1,12/31/2024\n").status()).isEqualTo(200);
    }

    @Test
    void anUnknownStyleIsAnInvalidParameter() {
        String table = this.tables.create("julian", COLUMNS);
        LoadClient.Response response = this.client.load(table, "dateStyle=Julian", "text/csv", "id,d\n1,2024-12-31\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("dateStyle");
        assertThat(response.text("detail")).isEqualTo("dateStyle must be one of [ISO, MDY, DMY, YMD]");
        assertThat(this.tables.count(table)).isZero();
    }

    /** Set per transaction: after loads in every style, every pooled connection reads dates as it did before. */
    @Test
    void thePooledConnectionIsNotLeftChanged() throws SQLException {
        String table = this.tables.create("pool", COLUMNS);
        for (String style : List.of("DMY", "YMD", "DMY")) {
            for (String atomic : List.of("true", "false")) {
                assertThat(this.client.load(table, "dateStyle=" + style + "&mode=upsert&key=id&atomic=" + atomic,
                        "text/csv", "id,d\n1,2024-12-31\n").status()).isEqualTo(200);
            }
        }
        HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                borrowed.add(pool.getConnection());
            }
            for (Connection connection : borrowed) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("select setting, reset_val from pg_settings "
                                + "where name = 'DateStyle'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(rs.getString(2)).isEqualTo("ISO, MDY");
                }
            }
        }
        finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }

    private static String contentType(String format) {
        return switch (format) {
            case "csv" -> "text/csv";
            case "json" -> "application/json";
            default -> "application/x-ndjson";
        };
    }

    /** Rows of id, d, ts, tz in the format; a null value is left out (JSON) or empty (CSV). */
    private static String body(String format, String[][] rows) {
        String[] names = { "id", "d", "ts", "tz" };
        StringBuilder body = new StringBuilder(format.equals("csv") ? "id,d,ts,tz\n" : format.equals("json") ? "[" : "");
        for (int r = 0; r < rows.length; r++) {
            if (format.equals("csv")) {
                body.append(String.join(",", Arrays.stream(rows[r]).map((v) -> (v == null) ? "" : v)
                    .toList())).append('\n');
                continue;
            }
            StringBuilder object = new StringBuilder("{");
            for (int i = 0; i < names.length; i++) {
                if (rows[r][i] != null) {
                    object.append((object.length() > 1) ? "," : "").append('"').append(names[i]).append("\":\"")
                        .append(rows[r][i]).append('"');
                }
            }
            object.append('}');
            body.append((format.equals("json") && r > 0) ? "," : "").append(object)
                .append(format.equals("ndjson") ? "\n" : "");
        }
        return body.append(format.equals("json") ? "]" : "").toString();
    }

    private List<Map<String, Object>> values(String table) {
        return this.jdbc.sql("select id, d::text as d, ts::text as ts, (tz at time zone 'UTC')::text || '+00' as tz "
                + "from " + table + " order by id").query().listOfRows();
    }
}
