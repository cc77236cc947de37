package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/**
 * A value over a reader limit refuses its record, which is read to its end so the next one is read as usual (a
 * reject with {@code onError=skip}); only what Jackson itself cannot read past ends a JSON array.
 */
class JsonLimitTests {

    private static final LoadableTable TABLE = new LoadableTable("public", "t",
            List.of(column("id", "integer"), column("a", "text"), column("doc", "jsonb")), List.of(), List.of());

    /** 1 MiB values, 1.5 MB records, 16 levels, numbers of 1,000 characters. */
    private static final ReadLimits LIMITS = new ReadLimits(1 << 20, 100, 1_500_000, 16, 1000);

    private static final String GOOD_3 = "{\"id\":3,\"a\":\"three\"}";

    @Test
    void aNumberUpToTheLimitIsKeptAsWrittenAndOneLongerRefusesOnlyItsRecord() {
        String limit = "-" + "9".repeat(997) + ".5";
        String over = "1" + "0".repeat(1000);
        for (Function<String[], RowReader> reader : readers()) {
            assertThat(read(reader, "{\"id\":1,\"a\":" + limit + ",\"doc\":[" + limit + "]}",
                    "{\"id\":2,\"a\":" + over + "}", GOOD_3))
                .containsExactly("1|" + limit + "|[" + limit + "]", "too large 2 column=a: Number is 1001 characters "
                        + "long, over the limit of 1000", "3|three|-");
            assertThat(read(reader, "{\"id\":2,\"doc\":{\"k\":[1," + over + ",2]},\"a\":\"x\"}", GOOD_3))
                .containsExactly("too large 1 column=doc: Number is 1001 characters long, over the limit of 1000",
                        "3|three|-");
        }
    }

    @Test
    void nestingDeeperThanTheLimitRefusesOnlyItsRecord() {
        // the record's object is level 1, so 15 more levels fit and 16 do not
        String fits = "[".repeat(15) + "1" + "]".repeat(15);
        String deeper = "[".repeat(16) + "]".repeat(16);
        String muchDeeper = "{\"k\":".repeat(100) + "1" + "}".repeat(100);
        for (Function<String[], RowReader> reader : readers()) {
            assertThat(read(reader, "{\"id\":1,\"doc\":" + fits + "}", "{\"id\":2,\"doc\":" + deeper + ",\"a\":\"x\"}",
                    "{\"id\":4,\"doc\":" + muchDeeper + "}", GOOD_3))
                .containsExactly("1|-|" + fits, "too large 2 column=doc: JSON is nested deeper than 16 levels",
                        "too large 3 column=doc: JSON is nested deeper than 16 levels", "3|three|-");
        }
    }

    @Test
    void deeperThanTheParserGoesEndsAnArrayButOnlyItsNdjsonLine() {
        String deepest = "{\"id\":2,\"doc\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertThat(read(readers().get(1), "{\"id\":1}", deepest, GOOD_3)).hasSize(3)
            .element(1)
            .asString()
            .startsWith("too large 2 column=null: ");
        assertThatExceptionOfType(PayloadTooLargeException.class)
            .isThrownBy(() -> read(readers().get(0), "{\"id\":1}", deepest, GOOD_3))
            .isNotInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void aStringOverTheFieldLimitRefusesItsNdjsonLineButEndsAnArray() {
        String big = "x".repeat((1 << 20) + 1);
        assertThat(read(readers().get(1), "{\"id\":2,\"a\":\"" + big + "\"}", GOOD_3)).hasSize(2)
            .element(0)
            .asString()
            .startsWith("too large 1 column=null: ");
        assertThatExceptionOfType(PayloadTooLargeException.class)
            .isThrownBy(() -> read(readers().get(0), "{\"id\":2,\"a\":\"" + big + "\"}", GOOD_3))
            .isNotInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void valuesAndRecordsOverTheirByteLimitsRefuseOnlyTheirRecord() {
        // under the parser's limit in characters, over the field limit in UTF-8 bytes
        String wide = "\u20ac".repeat(400_000);
        String half = "y".repeat(800_000);
        StringBuilder manyStrings = new StringBuilder("[");
        for (int i = 0; i < 120_000; i++) {
            manyStrings.append((i > 0) ? ",\"abcdefgh\"" : "\"abcdefgh\"");
        }
        manyStrings.append(']');
        // an NDJSON line is never shorter than its values: its own limit, the record limit, comes first
        List<String> tooLargeRecord = List.of("too large 2 column=doc: Record is larger than 1500000 bytes",
                "too large 2 column=null: Line is longer than 1500000 bytes");
        for (int r = 0; r < 2; r++) {
            assertThat(read(readers().get(r), "{\"id\":1,\"a\":\"" + wide + "\"}", "{\"id\":2,\"a\":\"" + half
                    + "\",\"doc\":\"" + half + "\"}", "{\"id\":4,\"doc\":" + manyStrings + "}", GOOD_3))
                .containsExactly("too large 1 column=a: Value is larger than 1048576 bytes", tooLargeRecord.get(r),
                        "too large 3 column=doc: Value is larger than 1048576 bytes", "3|three|-");
        }
    }

    @Test
    void anNdjsonLineOverTheRecordLimitIsReadPastToTheNextLine() {
        String line = "{\"id\":2,\"a\":\"" + "z".repeat(1_600_000) + "\"}";
        assertThat(read(readers().get(1), "{\"id\":1}", line, GOOD_3))
            .containsExactly("1|-|-", "too large 2 column=null: Line is longer than 1500000 bytes", "3|three|-");
    }

    /** The JSON array reader, then the NDJSON reader, each over records given one a line. */
    private static List<Function<String[], RowReader>> readers() {
        return List.of(
                (records) -> new JsonArrayReader(input("[" + String.join(",\n", records) + "]"), TABLE, LIMITS,
                        1 << 26),
                (records) -> new NdjsonReader(input(String.join("\n", records)), TABLE, LIMITS, 1 << 26));
    }

    /** Each record as {@code id|a|doc}, or {@code too large record column=c: message}. */
    private static List<String> read(Function<String[], RowReader> reader, String... records) {
        RowReader rows = reader.apply(records);
        List<String> read = new ArrayList<>();
        Row row = new Row(TABLE.columns().size(), 1024);
        while (true) {
            try {
                if (!rows.next(row)) {
                    return read;
                }
                read.add(value(row, 0) + "|" + value(row, 1) + "|" + value(row, 2));
            }
            catch (RecordTooLargeException ex) {
                read.add("too large " + ex.record() + " column=" + ex.column() + ": " + ex.getMessage());
            }
            catch (MalformedRecordException ex) {
                read.add("malformed " + ex.record() + ": " + ex.getMessage());
            }
        }
    }

    private static String value(Row row, int column) {
        return row.isPresent(column) ? row.text(column) : "-";
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static LoadableColumn column(String name, String type) {
        return new LoadableColumn(name, type, true, false, false);
    }
}
