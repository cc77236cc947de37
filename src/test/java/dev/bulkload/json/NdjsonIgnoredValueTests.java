package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.FuzzedPayloads;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;

/**
 * Ignored objects and arrays of NDJSON read past at byte level give exactly what Jackson reading them gave: the
 * same rows, the same refusals (message, record, line, column) and the same ignored field names, for well-formed
 * values and for every kind of broken or over-limit one, hand-written and mutated at random (seeded).
 */
class NdjsonIgnoredValueTests {

    private static final ReadLimits LIMITS = new ReadLimits(4096, 8, 1 << 20, 8, 40);

    private static final List<String> VALUES = List.of("{}", "[]", "{\"a\":1}", "[1,2,3]",
            "{\"source\":\"orders\",\"partition\":3,\"offset\":123,\"tags\":[\"a\",\"b\"]}",
            "{ \"a\" : [ true , false , null , -0.5e+3 , 0 , 1E9 , \"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\" ] }",
            "[[[[[[1]]]]]]", "[[[[[[[[[[[[1]]]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{}}}}}}}",
            "{\"€\":\"ß\",\"\uD83D\uDE00\":[\"\u00e9\"]}", "[\"" + "x".repeat(5000) + "\"]",
            "[" + "9".repeat(41) + "]", "[" + "9".repeat(40) + "]", "[1.5e" + "9".repeat(38) + "]",
            // broken: Jackson's words about each must stay
            "{\"a\" 1}", "{\"a\":01}", "[1,]", "{\"a\":1,}", "{,}", "[tru]", "[truex]", "[nul]", "{\"a\":+1}",
            "[.5]", "[1.]", "[1e]", "[-]", "[\"a\\q\"]", "[\"\\u12\"]", "[\"\\u12g4\"]", "{\"a\":[1,2}", "[1}",
            "{\"a\":1]", "{a:1}", "{'a':1}", "[NaN]", "[1 2]", "{\"a\":1 \"b\":2}", "[\"\u0001\"]", "[\"\t\"]",
            "[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\udc00x\"]", "[\"a\u0000b\"]", "{\"a\":\"b\"", "[1,2",
            "[/*c*/1]", "[1]]", "{\"a\":[}]}", "{\"a\"}", "{\"a\":}", "[\"\\", "{\"\\u0061\":1}", "[\"\u007f\"]");

    private static final List<byte[]> RAW_VALUES = List.of(bytes("[\"", (byte) 0xC3, (byte) 0x28, "\"]"),
            bytes("[\"", (byte) 0xED, (byte) 0xA0, (byte) 0x80, "\"]"), bytes("[\"", (byte) 0xF4, (byte) 0x90,
                    (byte) 0x80, (byte) 0x80, "\"]"), bytes("[", (byte) 0xC3, (byte) 0xA9, "]"),
            bytes("{\"a\":\"", (byte) 0xE2, (byte) 0x82, "\"}"), bytes("[\"x\"", (byte) 0x00, "]"));

    @Test
    void handWrittenValuesReadPastAtByteLevelGiveWhatJacksonGave() {
        for (String value : VALUES) {
            byte[] line = line(value.getBytes(StandardCharsets.UTF_8));
            assertSameAsJackson(line);
        }
        for (byte[] value : RAW_VALUES) {
            assertSameAsJackson(line(value));
        }
    }

    @Test
    void mutatedValuesReadPastAtByteLevelGiveWhatJacksonGave() {
        Random random = new Random(21);
        byte[] alphabet = "{}[]\":,\\ -+.0123456789eEtrufalsn\u00e9ab".getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < 5_000; n++) {
            byte[] value = VALUES.get(random.nextInt(VALUES.size())).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && value.length > 0; e++) {
                int at = random.nextInt(value.length);
                byte b = (random.nextInt(10) == 0) ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
                value = switch (random.nextInt(3)) {
                    case 0 -> replace(value, at, b);
                    case 1 -> insert(value, at, b);
                    default -> delete(value, at);
                };
            }
            assertSameAsJackson(line(value));
        }
    }

    @Test
    void aValueAsDeepAsTheLimitsAllowAndDeeperGiveWhatJacksonGave() {
        for (int depth = 1; depth <= 100; depth++) {
            assertSameAsJackson(line(("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8)));
            assertSameAsJackson(line(("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))
                .getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void theIgnoredValueIsReadPastAndTheFieldsAfterItLoad() {
        String ndjson = "{\"name\":\"a\",\"_meta\":{\"x\":[1,{\"y\":\"}\"}]},\"note\":\"n\",\"trace\":[\"]\"]}\n";
        List<String> read = read(ndjson.getBytes(StandardCharsets.UTF_8), true);
        assertThat(read).containsExactly("row 1: [null, a, n]", "ignored [_meta, trace]");
    }

    @Test
    void theByteLevelScanFindsTheEndOfWellFormedValuesAndLeavesDoubtfulOnesToJackson() {
        for (String value : List.of("{}", "[]", "{\"a\":1}", "[1,2,3]", "[[[[[[1]]]]]]",
                "{\"source\":\"orders\",\"partition\":3,\"offset\":123,\"tags\":[\"a\",\"b\"]}",
                "{ \"a\" : [ true , false , null , -0.5e+3 , 0 , 1E9 , \"x\\\"y\\u00e9\" ] }")) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertThat(SkippedValue.end(bytes, 1, bytes.length, bytes[0] == '{', 8, 40, 4096)).as(value)
                .isEqualTo(bytes.length - 1);
        }
        for (String value : List.of("{\"a\" 1}", "{\"a\":01}", "[1,]", "[tru]", "[\"a\\q\"]", "[1}", "[1 2]",
                "[\"\t\"]", "[" + "9".repeat(41) + "]", "[[[[[[[[[[1]]]]]]]]]]", "[1,2")) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertThat(SkippedValue.end(bytes, 1, bytes.length, bytes[0] == '{', 8, 40, 4096)).as(value)
                .isEqualTo(SkippedValue.DOUBTFUL);
        }
    }

    private static void assertSameAsJackson(byte[] payload) {
        assertThat(read(payload, true)).as(new String(payload, StandardCharsets.UTF_8))
            .isEqualTo(read(payload, false));
    }

    /** Three records: the value ignored at the start, in the middle and at the end of an object. */
    private static byte[] line(byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("{\"_meta\":", value, ",\"name\":\"a\"}\n"));
        out.writeBytes(bytes("{\"name\":\"b\",\"_meta\":", value, ",\"note\":\"c\"}\n"));
        out.writeBytes(bytes("{\"note\":\"d\",\"extra\":1,\"_meta\":", value, "}\n"));
        out.writeBytes(bytes("{\"name\":\"e\"}\n"));
        return out.toByteArray();
    }

    /** What a reader made of the payload: each record's values or refusal, then the ignored field names. */
    private static List<String> read(byte[] payload, boolean skipAtByteLevel) {
        FieldColumns fields = FieldMapping.parse(List.of(), "exact", "ignore").bind(FuzzedPayloads.TABLE, 32);
        List<String> outcome = new ArrayList<>();
        Row row = new Row(FuzzedPayloads.TABLE.columns().size(), 64);
        try (NdjsonReader reader = new NdjsonReader(new ByteArrayInputStream(payload), FuzzedPayloads.TABLE, fields,
                LIMITS, payload.length, skipAtByteLevel)) {
            while (true) {
                try {
                    if (!reader.next(row)) {
                        break;
                    }
                    outcome.add("row " + row.record() + ": " + FuzzedPayloads.values(row));
                }
                catch (MalformedRecordException | RecordTooLargeException ex) {
                    outcome.add(describe(ex));
                }
            }
        }
        catch (PayloadException ex) {
            outcome.add(describe(ex));
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
        outcome.add("ignored " + fields.ignoredFields());
        return outcome;
    }

    private static String describe(PayloadException ex) {
        return ex.getClass().getSimpleName() + " record " + ex.record() + " line " + ex.line() + " column "
                + ex.column() + ": " + ex.getMessage();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            else if (part instanceof byte[] raw) {
                out.writeBytes(raw);
            }
            else {
                out.write((Byte) part);
            }
        }
        return out.toByteArray();
    }

    private static byte[] replace(byte[] value, int at, byte b) {
        byte[] copy = value.clone();
        copy[at] = b;
        return copy;
    }

    private static byte[] insert(byte[] value, int at, byte b) {
        byte[] copy = new byte[value.length + 1];
        System.arraycopy(value, 0, copy, 0, at);
        copy[at] = b;
        System.arraycopy(value, at, copy, at + 1, value.length - at);
        return copy;
    }

    private static byte[] delete(byte[] value, int at) {
        byte[] copy = new byte[value.length - 1];
        System.arraycopy(value, 0, copy, 0, at);
        System.arraycopy(value, at + 1, copy, at, value.length - at - 1);
        return copy;
    }
}
