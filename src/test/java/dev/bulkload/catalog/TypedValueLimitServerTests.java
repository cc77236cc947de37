package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Each bound of {@link TypedValueLimit} checked against the real server: the longest valid value we
 * could think of for each bounded type is accepted by PostgreSQL's input function and fits the bound.
 */
class TypedValueLimitServerTests {

    private static final String AROUND = " ".repeat(64);

    private static Connection connection;

    private static int serverVersion;

    @BeforeAll
    static void connect() throws SQLException {
        TestDatabase.Settings settings = TestDatabase.settings();
        connection = DriverManager.getConnection(settings.url(), settings.username(), settings.password());
        try (ResultSet version = connection.createStatement().executeQuery("show server_version_num")) {
            version.next();
            serverVersion = Integer.parseInt(version.getString(1));
        }
    }

    @AfterAll
    static void disconnect() throws SQLException {
        connection.close();
    }

    /**
     * A type, a value of it, and the first PostgreSQL version that accepts that spelling.
     * @param type the type as format_type renders it
     * @param value a valid input of maximum plausible length
     * @param since server_version_num from which the spelling is valid
     */
    record Case(String type, String value, int since) {

        Case(String type, String value) {
            this(type, value, 140000);
        }

        @Override
        public String toString() {
            String shown = (this.value.length() > 80) ? this.value.length() + " bytes" : "'" + this.value + "'";
            return this.type + " <- " + shown;
        }
    }

    static Stream<Case> longestValidValues() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("smallint", AROUND + "-32768" + AROUND));
        cases.add(new Case("smallint", AROUND + "-0b1000_0000_0000_0000" + AROUND, 160000));
        cases.add(new Case("integer", AROUND + "-2147483648" + AROUND));
        cases.add(new Case("integer", "-0b1000" + "_0000".repeat(7), 160000));
        cases.add(new Case("bigint", AROUND + "-9223372036854775808" + AROUND));
        cases.add(new Case("bigint", AROUND + "-0b1000" + "_0000".repeat(15) + AROUND, 160000));
        cases.add(new Case("real", AROUND + new BigDecimal(-Float.MIN_VALUE).toPlainString() + AROUND));
        cases.add(new Case("real", new BigDecimal(-Float.MAX_VALUE).toPlainString()));
        cases.add(new Case("double precision", AROUND + new BigDecimal(-Double.MIN_VALUE).toPlainString() + AROUND));
        cases.add(new Case("double precision", new BigDecimal(-Double.MAX_VALUE).toPlainString()));
        cases.add(new Case("double precision", AROUND + "-Infinity" + AROUND));
        cases.add(new Case("numeric", AROUND + "-" + "9".repeat(131_072) + "." + "9".repeat(16_383) + AROUND));
        cases.add(new Case("numeric",
                AROUND + "-" + "9_".repeat(131_071) + "9." + "9_".repeat(16_382) + "9" + AROUND, 160000));
        cases.add(new Case("numeric(12,2)", AROUND + "-9999999999.99" + AROUND));
        cases.add(new Case("numeric(12,2)", "-9_999_999_999.99", 160000));
        cases.add(new Case("numeric(12,2)", new BigDecimal(-Double.MIN_VALUE).toPlainString()));
        cases.add(new Case("numeric(12,2)", new BigDecimal(1234567.89).toPlainString()));
        cases.add(new Case("numeric(3,5)", "-0.0_0_9_9_9", 160000));
        cases.add(new Case("numeric(2,-3)", "-9_9_4_9_9", 160000));
        cases.add(new Case("boolean", AROUND + "false" + AROUND));
        cases.add(new Case("date", AROUND + "4713-01-01 BC" + AROUND));
        cases.add(new Case("date", AROUND + "5874897-12-31 AD" + AROUND));
        cases.add(new Case("time without time zone", AROUND + "23:59:59.999999" + AROUND));
        cases.add(new Case("time with time zone", AROUND + "23:59:59.999999-15:59:59" + AROUND));
        cases.add(new Case("time with time zone",
                AROUND + "2024-01-01 23:59:59.999999 America/Argentina/ComodRivadavia" + AROUND));
        cases.add(new Case("timestamp without time zone",
                AROUND + "Wednesday December 31 23:59:59.999999 294276 AD" + AROUND));
        cases.add(new Case("timestamp with time zone",
                AROUND + "2024-01-01 00:00:00.123456 America/Argentina/ComodRivadavia" + AROUND));
        cases.add(new Case("timestamp with time zone",
                AROUND + "Wednesday, December 31, 2024 23:59:59.999999 America/Argentina/ComodRivadavia" + AROUND));
        cases.add(new Case("timestamp(3) with time zone", AROUND + "4713-01-01 00:00:00.000000+15:59:59 BC" + AROUND));
        cases.add(new Case("interval", AROUND + "@ 1 millennium 1 century 1 decade 1 year 1 month 1 week 1 day "
                + "1 hour 1 minute 1 second 1 millisecond 1 microsecond ago" + AROUND));
        cases.add(new Case("interval", AROUND + "-178000000 years -11 months -2147483647 days -2147483647 hours "
                + "-59 minutes -59.999999 seconds ago" + AROUND));
        cases.add(new Case("interval", "P-178000000Y-11M-2147483647DT-2147483647H-59M-59.999999S"));
        cases.add(new Case("uuid", "{a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11}"));
        cases.add(new Case("inet", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128"));
        cases.add(new Case("cidr", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"));
        cases.add(new Case("macaddr", AROUND + "0x08:0x00:0x2b:0x01:0x02:0x03" + AROUND));
        cases.add(new Case("macaddr8", AROUND + "08:00:2b:01:02:03:04:05" + AROUND));
        cases.add(new Case("money", AROUND + "($92,233,720,368,547,758.07)" + AROUND));
        cases.add(new Case("oid", AROUND + "-2147483648" + AROUND));
        // octal oid input since PostgreSQL 16; before, it is read as a decimal out of range
        cases.add(new Case("oid", AROUND + "037777777777" + AROUND, 160000));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("longestValidValues")
    void theServerAcceptsTheLongestValidValueAndItFitsTheBound(Case valid) throws SQLException {
        assumeThat(serverVersion).as("server version for this spelling").isGreaterThanOrEqualTo(valid.since());
        try (PreparedStatement select = connection.prepareStatement("select cast(? as " + valid.type() + ")")) {
            select.setString(1, valid.value());
            assertThatNoException().isThrownBy(() -> {
                try (ResultSet result = select.executeQuery()) {
                    result.next();
                }
            });
        }
        assertThat(TypedValueLimit.maxBytes(valid.type())).isNotEqualTo(TypedValueLimit.UNBOUNDED)
            .isGreaterThanOrEqualTo(valid.value().getBytes(StandardCharsets.UTF_8).length);
    }
}
