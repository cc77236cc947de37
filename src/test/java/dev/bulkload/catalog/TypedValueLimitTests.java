package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The longest valid text of each column type, without a database; TypedValueLimitServerTests asks the server. */
class TypedValueLimitTests {

    private static final String AROUND = " ".repeat(64);

    @Test
    void integersAreBoundedByTheirLongestSpellingWithWhitespace() {
        assertFits("bigint", AROUND + "-9223372036854775808" + AROUND);
        assertFits("bigint", "-0b1000" + "_0000".repeat(15) + "_000");
        assertFits("integer", AROUND + "-0b1000" + "_0000".repeat(7) + "_000" + AROUND);
        assertFits("smallint", AROUND + "-32768" + AROUND);
        assertThat(TypedValueLimit.maxBytes("smallint")).isLessThan(TypedValueLimit.maxBytes("integer"))
            .isLessThan(TypedValueLimit.maxBytes("bigint"));
        assertThat(TypedValueLimit.maxBytes("bigint")).isLessThan(512);
    }

    @Test
    void aliasesCaseAndSurroundingSpacesNameTheSameType() {
        assertThat(TypedValueLimit.maxBytes("int8")).isEqualTo(TypedValueLimit.maxBytes("bigint"));
        assertThat(TypedValueLimit.maxBytes(" INTEGER ")).isEqualTo(TypedValueLimit.maxBytes("int4"))
            .isEqualTo(TypedValueLimit.maxBytes("pg_catalog.int4"));
        assertThat(TypedValueLimit.maxBytes("bool")).isEqualTo(TypedValueLimit.maxBytes("boolean"));
        assertThat(TypedValueLimit.maxBytes("float8")).isEqualTo(TypedValueLimit.maxBytes("double precision"));
        assertThat(TypedValueLimit.maxBytes("timestamptz"))
            .isEqualTo(TypedValueLimit.maxBytes("timestamp(3) with time zone"));
        assertThat(TypedValueLimit.maxBytes("decimal(12,2)")).isEqualTo(TypedValueLimit.maxBytes("numeric(12,2)"));
    }

    @Test
    void floatsAdmitTheExactExpansionOfTheSmallestValue() {
        String smallestDouble = new BigDecimal(-Double.MIN_VALUE).toPlainString();
        assertThat(smallestDouble).hasSizeGreaterThan(1000);
        assertFits("double precision", AROUND + smallestDouble + AROUND);
        assertFits("double precision", new BigDecimal(-Double.MAX_VALUE).toPlainString());
        assertFits("real", new BigDecimal(-Float.MIN_VALUE).toPlainString());
        assertThat(TypedValueLimit.maxBytes("real")).isLessThan(2048);
    }

    @Test
    void numericWithoutPrecisionAdmitsItsFullRangeWithUnderscores() {
        String widest = "-" + "9_".repeat(131_071) + "9." + "9_".repeat(16_382) + "9";
        assertFits("numeric", AROUND + widest + AROUND);
        assertThat(TypedValueLimit.maxBytes("numeric")).isLessThan(300_000);
    }

    @Test
    void numericWithPrecisionIsBoundedByItsDigitsAndADoublesExpansion() {
        assertFits("numeric(12,2)", AROUND + "-9_999_999_999.99" + AROUND);
        assertFits("numeric(12,2)", new BigDecimal(-Double.MIN_VALUE).toPlainString());
        assertFits("numeric(1000,0)", "9_".repeat(999) + "9");
        assertFits("numeric(3,5)", "-0.0_0_9_9_9");
        assertFits("numeric(2,-3)", "-9_9_4_9_9");
        assertThat(TypedValueLimit.maxBytes("numeric(12,2)")).isLessThan(TypedValueLimit.maxBytes("numeric(1000,0)"))
            .isLessThan(2048);
        assertThat(TypedValueLimit.maxBytes("numeric(p,s)")).isEqualTo(TypedValueLimit.maxBytes("numeric"));
    }

    @Test
    void datesAndTimesAdmitSpelledOutValuesWithLongZoneNames() {
        assertFits("date", AROUND + "4713-01-01 BC" + AROUND);
        assertFits("timestamp with time zone",
                AROUND + "Wednesday, December 31, 2024 23:59:59.999999 America/Argentina/ComodRivadavia" + AROUND);
        assertFits("timestamp(6) without time zone", "Wednesday, December 31, 294276 23:59:59.999999 AD");
        assertFits("time with time zone", "23:59:59.999999-15:59:59");
        assertFits("time(3) without time zone", "allballs");
        assertFits("interval", AROUND + "@ -178000000 years -11 months -2147483647 days -2147483647 hours "
                + "-59 minutes -59.999999 seconds ago" + AROUND);
        assertThat(TypedValueLimit.maxBytes("interval day to second(3)"))
            .isEqualTo(TypedValueLimit.maxBytes("interval"))
            .isEqualTo(TypedValueLimit.maxBytes("interval(6)"))
            .isLessThan(1024);
    }

    @Test
    void fixedSizeValuesAreBoundedToo() {
        assertFits("boolean", AROUND + "false" + AROUND);
        assertFits("uuid", "{a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11}");
        assertFits("inet", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128");
        assertFits("cidr", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
        assertFits("macaddr", AROUND + "0x08:0x00:0x2b:0x01:0x02:0x03" + AROUND);
        assertFits("macaddr8", "08:00:2b:01:02:03:04:05");
        assertFits("money", AROUND + "($92,233,720,368,547,758.07)" + AROUND);
        assertFits("oid", AROUND + "-037777777777" + AROUND);
        for (String type : List.of("boolean", "uuid", "inet", "cidr", "macaddr", "macaddr8", "money", "oid")) {
            assertThat(TypedValueLimit.maxBytes(type)).as(type).isBetween(1, 512);
        }
    }

    @Test
    void textLikeArrayAndUnknownTypesAreUnbounded() {
        for (String type : List.of("text", "character varying(10)", "character(2)", "json", "jsonb", "bytea", "xml",
                "integer[]", "timestamp with time zone[]", "numeric(12,2)[]", "bit(3)", "mood", "public.mood",
                "tsvector", "")) {
            assertThat(TypedValueLimit.maxBytes(type)).as(type).isEqualTo(TypedValueLimit.UNBOUNDED);
        }
        assertThat(TypedValueLimit.maxBytes(null)).isEqualTo(TypedValueLimit.UNBOUNDED);
    }

    @Test
    void aTableHasOneBoundPerColumnInColumnOrder() {
        LoadableTable table = new LoadableTable("public", "t", List.of(column("id", "bigint"), column("name", "text"),
                column("at", "timestamp with time zone"), column("tags", "integer[]")), List.of("id"), List.of());
        assertThat(TypedValueLimit.perColumn(table)).containsExactly(TypedValueLimit.maxBytes("bigint"),
                TypedValueLimit.UNBOUNDED, TypedValueLimit.maxBytes("timestamptz"), TypedValueLimit.UNBOUNDED);
    }

    @Test
    void aThirtyMegabyteValueIsRefusedForAnIntegerButNotForText() {
        int length = 30 * 1024 * 1024;
        assertThat(TypedValueLimit.allows(TypedValueLimit.maxBytes("integer"), length)).isFalse();
        assertThat(TypedValueLimit.allows(TypedValueLimit.maxBytes("numeric"), length)).isFalse();
        assertThat(TypedValueLimit.allows(TypedValueLimit.maxBytes("text"), length)).isTrue();
        assertThat(TypedValueLimit.allows(TypedValueLimit.maxBytes("integer"), "-2147483648".length())).isTrue();
    }

    private static void assertFits(String type, String value) {
        int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(TypedValueLimit.maxBytes(type)).as("bound of %s for %d bytes", type, bytes)
            .isNotEqualTo(TypedValueLimit.UNBOUNDED)
            .isGreaterThanOrEqualTo(bytes);
    }

    private static LoadableColumn column(String name, String type) {
        return new LoadableColumn(name, type, true, false, false);
    }
}
