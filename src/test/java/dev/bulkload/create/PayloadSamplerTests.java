package dev.bulkload.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.ReadLimits;

/**
 * The sample of a payload: bounded by its byte limit, never observing a record that limit cut, and handing the load
 * exactly the payload's bytes again; column names folded; each type inferred as documented.
 */
class PayloadSamplerTests {

    private static final ReadLimits LIMITS = new ReadLimits(1 << 20, 1600, 4 << 20, 16, 1000);

    private static final CsvFormat CSV = new CsvFormat(true, ',', '"', "", List.of());

    @Test
    void aRecordCutByTheByteLimitIsNotSampledAndTheLoadGetsEveryByteAgain() throws IOException {
        StringBuilder csv = new StringBuilder("n,d\n");
        for (int i = 0; i < 100; i++) {
            csv.append("12345,2024-01-01\n");
        }
        byte[] payload = csv.toString().getBytes(StandardCharsets.UTF_8);
        // the limit cuts the eleventh record inside its date: "2024-01-" would make the column text
        SampleBuffer buffer = new SampleBuffer(new ByteArrayInputStream(payload), 4 + 17 * 10 + 14);
        PayloadSample sample = sampler(LoadFormat.CSV).sample(buffer, 1000);
        assertThat(buffer.capped()).isTrue();
        assertThat(sample.records()).isEqualTo(10);
        assertThat(sample.fields()).containsExactly(new SampledField("n", "n", "bigint"),
                new SampledField("d", "d", "date"));
        try (InputStream whole = buffer.payload()) {
            assertThat(whole.readAllBytes()).isEqualTo(payload);
        }
    }

    @Test
    void onlySampleRowsRecordsAreSampled() {
        String ndjson = "{\"a\":1}\n{\"a\":2}\n{\"a\":\"x\"}\n";
        SampleBuffer buffer = new SampleBuffer(stream(ndjson), 16L << 20);
        PayloadSample sample = sampler(LoadFormat.NDJSON).sample(buffer, 2);
        assertThat(sample.records()).isEqualTo(2);
        assertThat(sample.fields()).containsExactly(new SampledField("a", "a", "bigint"));
    }

    @Test
    void keysMissingFromTheFirstRecordsAndEmptyColumnsAreColumnsToo() {
        String json = "[{\"a\":null},{\"a\":null,\"B c\":[1]},{\"Z\":\"6f1c2a0e-8f4b-4c1e-9a51-0b7c2d3e4f50\"}]";
        PayloadSample sample = sampler(LoadFormat.JSON).sample(new SampleBuffer(stream(json), 1 << 20), 1000);
        assertThat(sample.fields()).containsExactly(new SampledField("a", "a", "text"),
                new SampledField("B c", "b_c", "jsonb"), new SampledField("Z", "z", "uuid"));
    }

    @Test
    void aPayloadThatCannotBeReadFailsAsTheLoadWould() {
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> sampler(LoadFormat.JSON).sample(new SampleBuffer(stream("{\"a\":1}"), 1 << 20), 10));
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> sampler(LoadFormat.JSON).sample(new SampleBuffer(stream("[]"), 1 << 20), 10))
            .withMessageContaining("no fields");
    }

    @Test
    void namesFoldIntoIdentifiers() {
        assertThat(ColumnNames.fold("E-mail Address", 1)).isEqualTo("e_mail_address");
        assertThat(ColumnNames.fold("  --Total  (EUR)-- ", 1)).isEqualTo("total_eur");
        assertThat(ColumnNames.fold("1st", 1)).isEqualTo("_1st");
        assertThat(ColumnNames.fold("\"); DROP TABLE x; --", 1)).isEqualTo("drop_table_x");
        assertThat(ColumnNames.fold("a\u0000b", 1)).isEqualTo("a_b");
        assertThat(ColumnNames.fold("!!!", 7)).isEqualTo("column_7");
        assertThat(ColumnNames.fold("Stra\u00dfe", 1)).isEqualTo("stra\u00dfe");
        assertThat(ColumnNames.fold("\u00e9".repeat(40), 1).getBytes(StandardCharsets.UTF_8)).hasSize(62);
        assertThat(ColumnNames.fold("a".repeat(62) + "_b", 1)).isEqualTo("a".repeat(62));
        // system columns every table has: a bounding box's header still makes a table
        assertThat(List.of("xmin", "YMIN", "XMax", "ctid", "tableoid", "cmin", "cmax"))
            .extracting((name) -> ColumnNames.fold(name, 1))
            .containsExactly("xmin_", "ymin", "xmax_", "ctid_", "tableoid_", "cmin_", "cmax_");
    }

    @Test
    void aTypeIsInferredOnlyWhenPostgresqlTakesEverySampledValueAsIt() {
        // year 0000, zone offsets beyond 15:59, numbers numeric overflows, unpaired surrogates in JSON text
        assertThat(guess("0000-01-01")).isEqualTo("text");
        assertThat(guess("0000-01-01T00:00")).isEqualTo("text");
        assertThat(guess("2024-01-01T10:00+16:00")).isEqualTo("text");
        assertThat(guess("2024-01-01T10:00+15:60")).isEqualTo("text");
        assertThat(guess("2024-01-01T10:00+15:59", "2024-01-01T10:00-05")).isEqualTo("timestamptz");
        assertThat(guess("{\"a\":1e999999}")).isEqualTo("text");
        assertThat(guess("{\"a\":\"\\ud800\"}")).isEqualTo("text");
        assertThat(guess("{\"a\":\"\\ud83d\\ude00\",\"b\":[1e3]}")).isEqualTo("jsonb");
        ColumnGuess json = new ColumnGuess();
        json.json("1e999999");
        assertThat(json.type()).isEqualTo("text");
        json = new ColumnGuess();
        json.json("{\"a\":1e999999}");
        assertThat(json.type()).isEqualTo("text");
    }

    @Test
    void eachTypeIsInferredFromTheValuesItFits() {
        assertThat(guess("true", "F", "yes")).isEqualTo("boolean");
        assertThat(guess("1", "-20", "0")).isEqualTo("bigint");
        assertThat(guess("1", "2.5", "1e3")).isEqualTo("numeric");
        assertThat(guess("99999999999999999999")).isEqualTo("numeric");
        assertThat(guess("007", "1")).isEqualTo("text");
        assertThat(guess("2024-02-29")).isEqualTo("date");
        assertThat(guess("2023-02-29")).isEqualTo("text");
        assertThat(guess("2024-02-28", "2024-02-28T10:11:12.5+01:00")).isEqualTo("timestamptz");
        assertThat(guess("6F1C2A0E-8F4B-4C1E-9A51-0B7C2D3E4F50")).isEqualTo("uuid");
        assertThat(guess("{\"a\":1}", "[]")).isEqualTo("jsonb");
        assertThat(guess("{not json")).isEqualTo("text");
        assertThat(guess("1", "")).isEqualTo("text");
        assertThat(guess()).isEqualTo("text");
        ColumnGuess json = new ColumnGuess();
        json.json("\"12\"");
        assertThat(json.type()).isEqualTo("text");
        json = new ColumnGuess();
        json.json("12");
        json.json("{\"a\":1}");
        assertThat(json.type()).isEqualTo("jsonb");
    }

    @Test
    void typeOverridesSplitAtTheFirstColonAndMustBeTypeNames() {
        assertThat(TypeOverride.parseAll(List.of("amount:numeric(12,2)", "at:timestamp(3) with time zone",
                "tags:text[]"))).extracting(TypeOverride::type)
            .containsExactly("numeric(12,2)", "timestamp(3) with time zone", "text[]");
        for (String bad : new String[] { "amount", ":int", "amount:", "a:int; drop table x", "a:\"int\"",
                "a:int -- x", "a:int)", "a:" + "x".repeat(200) }) {
            assertThatExceptionOfType(IllegalArgumentException.class).as(bad)
                .isThrownBy(() -> TypeOverride.parseAll(List.of(bad)));
        }
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> TypeOverride.parseAll(List.of("a:int", "a:text")));
    }

    private static String guess(String... values) {
        ColumnGuess guess = new ColumnGuess();
        for (String value : values) {
            guess.text(value);
        }
        return guess.type();
    }

    private static PayloadSampler sampler(LoadFormat format) {
        return new PayloadSampler(format, CSV, null, FieldMapping.NONE, LIMITS, 1L << 30);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
