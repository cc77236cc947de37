package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.bulkload.TestDatabase;

/**
 * Values longer than their type's bound, judged by {@link TypedValueLimit#refusal} and by the server itself: the
 * service never refuses a value PostgreSQL takes (leading zeros, whitespace, signs, underscores, prefixes,
 * punctuation between date fields), and for integers, oid, booleans, decimal floats and numeric syntax it
 * refuses exactly what PostgreSQL refuses, with the same SQLSTATE.
 */
class LongValueServerTests {

    /** More than the bound of every type but numeric without precision. */
    private static final String ZEROS = "0".repeat(1500);

    private static final String SPACES = " ".repeat(1500);

    /** More than the bound of numeric without precision. */
    private static final String MANY_ZEROS = "0".repeat(300_000);

    private static final String MANY_SPACES = " ".repeat(300_000);

    private static Connection connection;

    private static int serverVersion;

    @BeforeAll
    static void connect() throws SQLException {
        TestDatabase.Settings settings = TestDatabase.settings();
        connection = DriverManager.getConnection(settings.url(), settings.username(), settings.password());
        serverVersion = settings.majorVersion();
    }

    @AfterAll
    static void disconnect() throws SQLException {
        connection.close();
    }

    /**
     * A long value of a type.
     * @param exact whether the service must refuse exactly what the server refuses (else only never more)
     */
    record Case(String type, String value, boolean exact) {

        @Override
        public String toString() {
            String shown = this.value.replace(MANY_ZEROS, "<300000 zeros>").replace(MANY_SPACES, "<300000 spaces>")
                .replace(ZEROS, "<1500 zeros>").replace(SPACES, "<1500 spaces>");
            return this.type + " <- '" + ((shown.length() > 60) ? shown.substring(0, 60) + "…" : shown) + "'";
        }
    }

    static Stream<Case> longValues() {
        List<Case> cases = new ArrayList<>();
        for (String type : List.of("smallint", "integer", "bigint")) {
            exact(cases, type, ZEROS + "1", SPACES + "7" + SPACES, "+" + ZEROS + "32767", "-" + ZEROS + "32768",
                    ZEROS + "32768", ZEROS + "9223372036854775807", "-" + ZEROS + "9223372036854775808",
                    ZEROS + "9223372036854775808", ZEROS + "1x", SPACES + "0x" + ZEROS + "7FFF", "0x_" + ZEROS + "1",
                    "-0x" + ZEROS + "8000", "0o" + ZEROS + "17", "0B" + "0_".repeat(200) + "1", "0_".repeat(200) + "1",
                    "1" + "_0".repeat(200), "1__0" + ZEROS, "_" + ZEROS + "1", ZEROS + "1_", "- " + ZEROS + "5",
                    "\t\n\u000b\f\r" + ZEROS + "5" + SPACES, ZEROS + "1 2", "0x" + SPACES, ZEROS + "1e2",
                    SPACES + "+" + SPACES + "1");
        }
        exact(cases, "oid", ZEROS + "12", ZEROS + "9", SPACES + "-1" + SPACES, ZEROS + "4294967295",
                SPACES + "-2147483648" + SPACES, SPACES + "-2147483649" + SPACES, "0x" + ZEROS + "FFFFFFFF",
                SPACES + "4294967296", "0x" + SPACES, SPACES + "+12x");
        exact(cases, "boolean", SPACES + "true" + SPACES, SPACES + "of" + SPACES, SPACES + "o" + SPACES,
                SPACES + "TR" + "\t".repeat(300), SPACES + "truex", SPACES + "yes\n", SPACES + "0" + SPACES,
                SPACES + "10" + SPACES);
        for (String type : List.of("real", "double precision")) {
            exact(cases, type, ZEROS + "1.5" + ZEROS, "0." + "1234567".repeat(300), "1e" + ZEROS + "5",
                    "1" + "0".repeat(1400), "0." + "0".repeat(1400) + "1", "0." + "0".repeat(320) + "1" + ZEROS,
                    "0." + "0".repeat(40) + "1" + ZEROS, SPACES + "-1.5e-3" + SPACES, SPACES + "1.5e" + SPACES,
                    SPACES + "1_0", SPACES + "." + SPACES, SPACES + "0e99999999999999999999");
            lenient(cases, type, SPACES + "-Infinity" + SPACES, SPACES + "0x1p3" + SPACES, SPACES + "nan");
        }
        exact(cases, "numeric", MANY_ZEROS + "1.5", MANY_SPACES + "NaN" + SPACES, MANY_SPACES + "-inf",
                MANY_ZEROS + "1_000", MANY_ZEROS + "1_.5", MANY_ZEROS + "1._5", MANY_ZEROS + "1.5.5",
                "0x" + MANY_ZEROS + "1F", MANY_ZEROS + "1e1_0", MANY_ZEROS + "1e" + SPACES + "5",
                MANY_SPACES + "+NaN", MANY_ZEROS + ".5e-3", MANY_ZEROS + "x", MANY_SPACES + ".");
        exact(cases, "numeric(5,2)", ZEROS + "1.005", "-" + ZEROS + "999.99" + SPACES, ZEROS + "1_0.5",
                SPACES + "1e" + ZEROS + "2");
        lenient(cases, "numeric", "1.5" + "0".repeat(300_000));
        lenient(cases, "date", SPACES + "2024-01-01" + SPACES, "2024-01-01" + ",".repeat(1500), ZEROS + "2024-01-01",
                "2024-01-01" + SPACES + "AD");
        lenient(cases, "timestamp with time zone", "2024-01-01" + SPACES + "12:00" + SPACES + "UTC");
        lenient(cases, "interval", SPACES + "1 day" + SPACES, "1 day" + ",".repeat(1500));
        lenient(cases, "inet", ZEROS + "1.2.3.4", SPACES + "1.2.3.4");
        lenient(cases, "macaddr", SPACES + "08:00:2b:01:02:03" + SPACES);
        lenient(cases, "money", ZEROS + "1.50", "1" + ",".repeat(300) + "000.00", SPACES + "1.50" + SPACES);
        lenient(cases, "uuid", SPACES + "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" + SPACES);
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("longValues")
    void theServiceNeverRefusesALongValueThePostgresqlTakes(Case value) throws SQLException {
        byte[] bytes = value.value().getBytes(StandardCharsets.UTF_8);
        TypedValueLimit limit = TypedValueLimit.of(value.type(), serverVersion);
        assertThat(bytes.length).as("the case is longer than the bound").isGreaterThan(limit.maxBytes());
        TypedValueLimit.Refusal refusal = limit.refusal(bytes, 0, bytes.length);
        String server = sqlStateOf(value);
        if (refusal != null) {
            assertThat(server).as("PostgreSQL takes a value the service refuses (%s)", refusal).isNotNull();
        }
        if (value.exact()) {
            assertThat(refusal == null).as("refused by the server with %s, by the service with %s", server, refusal)
                .isEqualTo(server == null);
            if (refusal != null) {
                assertThat(refusal.sqlState()).isEqualTo(server);
            }
        }
    }

    private static String sqlStateOf(Case value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select cast(? as " + value.type() + ")")) {
            select.setString(1, value.value());
            select.executeQuery().close();
            return null;
        }
        catch (SQLException ex) {
            return ex.getSQLState();
        }
    }

    private static void exact(List<Case> cases, String type, String... values) {
        for (String value : values) {
            cases.add(new Case(type, value, true));
        }
    }

    private static void lenient(List<Case> cases, String type, String... values) {
        for (String value : values) {
            cases.add(new Case(type, value, false));
        }
    }
}
