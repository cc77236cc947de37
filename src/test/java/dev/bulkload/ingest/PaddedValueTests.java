package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.PostgresAnswers;
import dev.bulkload.TestDatabase;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * Values longer than the service's length pre-check would once refuse, which PostgreSQL takes: zero-padded and
 * whitespace-padded numbers, a {@code +} sign, underscores and {@code 0x} prefixes (PostgreSQL 16+), a float with
 * thousands of digits, a date padded with spaces. Each loads, by COPY and batch, as exactly what PostgreSQL reads
 * from the same text; a long value PostgreSQL refuses is refused with its SQLSTATE, naming the column, without
 * repeating the value.
 */
@BulkLoaderTest
class PaddedValueTests {

    private static final String ZEROS = "0".repeat(400);

    private static final String SPACES = " ".repeat(400);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    LoadClient client;

    PostgresAnswers postgres;

    String values;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.postgres = new PostgresAnswers(this.dataSource);
        this.values = new TestTables(this.jdbc).create("padded", "id int primary key, s smallint, i integer, "
                + "b bigint, f double precision, n numeric(5,2), d date, o oid");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void paddedValuesLoadAsPostgresqlReadsThem(String method) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { ZEROS + "1", SPACES + "-7" + SPACES, "+" + ZEROS + "9223372036854775807",
            ZEROS + "1.5" + ZEROS, SPACES + "+" + ZEROS + "999.994", SPACES + "2024-02-29" + SPACES, ZEROS + "12" });
        rows.add(new String[] { "\t" + ZEROS + "32767\n", "-" + ZEROS + "2147483648", SPACES + "-1" + SPACES,
            "0." + "1234567".repeat(300), ZEROS + ".5", "2024-02-29" + ",".repeat(400), SPACES + "4294967295" });
        if (TestDatabase.settings().majorVersion() >= 16) {
            rows.add(new String[] { "0x_" + ZEROS + "7F", "0b" + "0_".repeat(300) + "1", "-0o" + ZEROS + "17",
                "1e" + ZEROS + "2", "1_0.5_0" + ZEROS, "2024-02-29" + SPACES + "AD",
                "0x" + ZEROS + "ff" });
        }
        List<String> columns = List.of("s", "i", "b", "f", "n", "d", "o");
        List<String> types = List.of("smallint", "integer", "bigint", "double precision", "numeric(5,2)", "date", "oid");
        StringBuilder ndjson = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            ndjson.append("{\"id\":").append(r + 1);
            for (int c = 0; c < columns.size(); c++) {
                ndjson.append(",\"").append(columns.get(c)).append("\":\"")
                    .append(rows.get(r)[c].replace("\t", "\\t").replace("\n", "\\n")).append('"');
            }
            ndjson.append("}\n");
        }
        LoadClient.Response response = this.client.load(this.values, "method=" + method, "application/x-ndjson",
                ndjson.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                String stored = this.jdbc.sql("select " + columns.get(c) + "::text from " + this.values
                        + " where id = ?").param(r + 1).query(String.class).single();
                assertThat(stored).as("row %d column %s", r + 1, columns.get(c))
                    .isEqualTo(this.postgres.read(rows.get(r)[c], types.get(c)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "copy", "batch" })
    void aLongValuePostgresqlRefusesIsRefusedWithItsSqlStateWithoutRepeatingIt(String method) {
        String outOfRange = ZEROS.repeat(100) + "32768";
        String notANumber = SPACES.repeat(100) + "12x";
        for (String value : List.of(outOfRange, notANumber)) {
            String expected = this.postgres.sqlState("select cast(? as smallint)", value);
            assertThat(expected).isNotNull();
            LoadClient.Response abort = this.client.load(this.values, "method=" + method, "text/csv",
                    "id,s\n1,1\n2," + value + "\n");
            assertThat(abort.status()).as(abort.body()).isEqualTo(422);
            assertThat(abort.text("sqlState")).isEqualTo(expected);
            assertThat(abort.text("column")).isEqualTo("s");
            assertThat(abort.number("record")).isEqualTo(2);
            assertThat(abort.body().length()).isLessThan(2000);
            LoadClient.Response skip = this.client.load(this.values, "onError=skip&method=" + method, "text/csv",
                    "id,s\n1,1\n2," + value + "\n");
            assertThat(skip.status()).as(skip.body()).isEqualTo(200);
            JsonNode reject = skip.json().get("rejects").get(0);
            assertThat(reject.get("sqlState").asString()).isEqualTo(expected);
            assertThat(reject.get("column").asString()).isEqualTo("s");
            this.jdbc.sql("truncate " + this.values).update();
        }
    }
}
