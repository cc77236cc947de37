package dev.bulkload.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/**
 * Both JSON readers refuse text the service cannot store exactly, in bytes or in escapes, keys and values, nested
 * or not: the record is refused whole, naming it and the column, and the next record is read as if nothing happened.
 */
class JsonTextRefusalTests {

    private static final LoadableTable TABLE = new LoadableTable("public", "t",
            List.of(column("id", "integer"), column("a", "text"), column("doc", "jsonb")), List.of(), List.of());

    private static final ReadLimits LIMITS = new ReadLimits(1 << 20, 100, 4 << 20, 16, 1000);

    private static final String GOOD_1 = "{\"id\":1,\"a\":\"\uD83D\uDE00 \\ud83d\\ude00\","
            + "\"doc\":{\"k\":\"\\ud83d\\ude00\"}}";

    private static final String GOOD_3 = "{\"id\":3,\"a\":\"\u00e9\u20ac\",\"doc\":[\"\u20ac\"]}";

    /** Record 2's hostile part, as the bytes after {@code {"id":2,}: each must refuse record 2 and only it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // bytes: overlong '/', overlong NUL, overlong three bytes, surrogate, above U+10FFFF, never valid, cut off,
            // stray continuation, NUL
            "a:x<C0AF>y", "a:<C080>", "a:<E080AF>", "a:<EDA080>", "a:<F4908080>", "a:<F5>", "a:<FF>", "a:<E282>",
            "a:<E282>x", "a:<80>", "a:<00>",
            // escapes in a text value
            "a:a\\ud800b", "a:\\udc00", "a:\\ud800\\ud800", "a:x\\ud800", "a:\\u0000", "a:\\ude00\\ud83d",
            "a:\\ud800\\u0041", "a:\\ud800\\n", "a:\\\\\\ud800", "a:<FF>\\ud800<C0>\\udc00", "a:\\uD800\\\\uDC00",
            // in a json column, and nested
            "doc:\\ud800", "doc:\\u0000", "doc:{\"k\":\"\\udc00\"}", "doc:[\"<C0AF>\"]", "doc:{\"\\ud800\":1}",
            "doc:{\"<C1A1>\":1}",
            // in a key: the column is not known
            "<C1A1>:x", "\\ud800:x", "\\udc00:x", "\\u0000:x", "a<EDBFBF>:x", "a\\ud800\\ud800:x" })
    void refusesTheRecordAndReadsTheNext(String spec) {
        byte[] bad = record2(spec);
        String column = expectedColumn(spec);
        for (boolean array : new boolean[] { true, false }) {
            for (int chunk : new int[] { 1, 3, 8192 }) {
                byte[] body = array ? join("[\n", GOOD_1, ",\n", bad, ",\n", GOOD_3, "\n]")
                        : join(GOOD_1, "\n", bad, "\n", GOOD_3, "\n");
                List<String> read = readAll(array ? new JsonArrayReader(trickle(body, chunk), TABLE, LIMITS, 1 << 24)
                        : new NdjsonReader(trickle(body, chunk), TABLE, LIMITS, 1 << 24));
                assertThat(read).as("%s array=%s chunk=%d", spec, array, chunk)
                    .containsExactly("1|\uD83D\uDE00 \uD83D\uDE00|{\"k\":\"\uD83D\uDE00\"}",
                            "refused 2@" + (array ? 3 : 2) + " column=" + column, "3|\u00e9\u20ac|[\"\u20ac\"]");
            }
        }
    }

    @Test
    void theRefusalSaysWhatIsWrong() {
        assertThat(refusal("a:a\\ud800b")).contains("\\uD800").contains("not followed by a low surrogate");
        assertThat(refusal("a:\\udc00")).contains("\\uDC00").contains("without a high surrogate");
        assertThat(refusal("a:\\u0000")).contains("U+0000");
        assertThat(refusal("a:<C0AF>")).startsWith("Invalid UTF-8 byte sequence").contains("0xC0");
        assertThat(refusal("a:<00>")).contains("NUL");
        assertThat(refusal("\\ud800:x")).isEqualTo("In a key: High surrogate \\uD800 not followed by a low surrogate");
        assertThat(refusal("<C1A1>:x")).isEqualTo("In a key: Invalid UTF-8 byte sequence (byte 0xC1)");
    }

    @Test
    void aRefusedByteOutsideAStringBreaksTheArrayButOnlyItsLineOfNdjson() {
        byte[] bad = HexFormat.of().parseHex("C0AF");
        byte[] array = join("[\n", GOOD_1, ",\n{\"id\":2,", bad, "\"a\":\"x\"},\n", GOOD_3, "\n]");
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> readAll(new JsonArrayReader(new ByteArrayInputStream(array), TABLE, LIMITS, 1 << 24)))
            .isNotInstanceOf(MalformedRecordException.class)
            .satisfies((ex) -> {
                assertThat(ex.getMessage()).startsWith("Invalid UTF-8 byte sequence");
                assertThat(ex.record()).isEqualTo(2);
                assertThat(ex.line()).isEqualTo(3);
            });
        byte[] afterArray = join("[", GOOD_1, "]", bad);
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> readAll(new JsonArrayReader(new ByteArrayInputStream(afterArray), TABLE, LIMITS,
                    1 << 24)))
            .withMessageStartingWith("Invalid UTF-8 byte sequence");
        byte[] ndjson = join(GOOD_1, "\n{\"id\":2,", bad, "\"a\":\"x\"}\n", GOOD_3, "\n");
        assertThat(readAll(new NdjsonReader(new ByteArrayInputStream(ndjson), TABLE, LIMITS, 1 << 24)))
            .containsExactly("1|\uD83D\uDE00 \uD83D\uDE00|{\"k\":\"\uD83D\uDE00\"}", "refused 2@2 column=null",
                    "3|\u00e9\u20ac|[\"\u20ac\"]");
    }

    @Test
    void manyBadStringsInOneRecordAndManyBadRecordsEachRefuseTheirOwnRecord() {
        StringBuilder doc = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++) {
            doc.append((i > 0) ? ",\"x\u0001y\"" : "\"x\u0001y\"");
        }
        doc.append(']');
        // 0x01 stands for a refused byte
        byte[] nested = join("{\"id\":2,\"doc\":", doc.toString(), "}").clone();
        replace(nested, (byte) 1, (byte) 0xFF);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(join("[", GOOD_1, ",", nested));
        for (int i = 0; i < 2_000; i++) {
            body.writeBytes(join(",{\"id\":", String.valueOf(10 + i), ",\"a\":\"", HexFormat.of().parseHex("C0AF"),
                    "\"}"));
        }
        body.writeBytes(join(",", GOOD_3, "]"));
        List<String> read = readAll(new JsonArrayReader(new ByteArrayInputStream(body.toByteArray()), TABLE, LIMITS,
                1 << 24));
        assertThat(read).hasSize(2_003);
        assertThat(read.get(1)).isEqualTo("refused 2@1 column=doc");
        assertThat(read.subList(2, 2_002)).allMatch((r) -> r.startsWith("refused ") && r.endsWith(" column=a"));
        assertThat(read.get(2_002)).isEqualTo("3|\u00e9\u20ac|[\"\u20ac\"]");
    }

    @Test
    void validTextSplitAcrossEveryReadBoundaryIsExact() {
        String text = "\u00e9\u20ac\uD83D\uDE00\uD800\uDC00\uDBFF\uDFFF\u07FF\u0800\uFFFD".repeat(20);
        byte[] body = join("[{\"id\":1,\"a\":\"", text, "\"}]");
        for (int chunk = 1; chunk <= 7; chunk++) {
            assertThat(readAll(new JsonArrayReader(trickle(body, chunk), TABLE, LIMITS, 1 << 24)))
                .containsExactly("1|" + text + "|-");
        }
    }

    @Test
    void goodEscapesSplitAcrossEveryReadBoundaryAreExact() {
        // a pair, an escaped backslash before letters that only look like an escape, a quote, and the last pair
        String json = "\\ud83d\\ude00 \\\\ud800 \\\\\\ud83d\\ude00 \\\" \\u00e9 \\udbff\\udfff";
        String text = "\uD83D\uDE00 \\ud800 \\\uD83D\uDE00 \" \u00e9 \uDBFF\uDFFF";
        byte[] array = join("[{\"id\":1,\"a\":\"", json, "\"}]");
        byte[] ndjson = join("{\"id\":1,\"a\":\"", json, "\"}");
        for (int chunk = 1; chunk <= 13; chunk++) {
            assertThat(readAll(new JsonArrayReader(trickle(array, chunk), TABLE, LIMITS, 1 << 24)))
                .containsExactly("1|" + text + "|-");
            assertThat(readAll(new NdjsonReader(trickle(ndjson, chunk), TABLE, LIMITS, 1 << 24)))
                .containsExactly("1|" + text + "|-");
        }
    }

    private static String refusal(String spec) {
        byte[] body = join(GOOD_1, "\n", record2(spec), "\n");
        return readAll(new NdjsonReader(new ByteArrayInputStream(body), TABLE, LIMITS, 1 << 24), true).get(1);
    }

    /** {@code key:value}: a value starting with { or [ is written as is, else as a string; <HEX> are raw bytes. */
    private static byte[] record2(String spec) {
        int colon = spec.indexOf(':');
        String key = spec.substring(0, colon);
        String value = spec.substring(colon + 1);
        boolean structured = value.startsWith("{") || value.startsWith("[");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"id\":2,\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes(key));
        out.writeBytes((structured ? "\":" : "\":\"").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes(value));
        out.writeBytes((structured ? "}" : "\"}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String expectedColumn(String spec) {
        String key = spec.substring(0, spec.indexOf(':'));
        return (key.equals("a") || key.equals("doc")) ? key : null;
    }

    private static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            int open = spec.indexOf('<', i);
            if (open < 0) {
                open = spec.length();
            }
            out.writeBytes(spec.substring(i, open).getBytes(StandardCharsets.UTF_8));
            if (open == spec.length()) {
                break;
            }
            int close = spec.indexOf('>', open);
            out.writeBytes(HexFormat.of().parseHex(spec.substring(open + 1, close)));
            i = close + 1;
        }
        return out.toByteArray();
    }

    private static byte[] join(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes((part instanceof byte[] b) ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void replace(byte[] bytes, byte from, byte to) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == from) {
                bytes[i] = to;
            }
        }
    }

    /** A body that arrives {@code chunk} bytes a read, so multi-byte sequences are cut by reads. */
    private static InputStream trickle(byte[] body, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<String> readAll(RowReader reader) {
        return readAll(reader, false);
    }

    /**
     * Each record as {@code id|a|doc} ({@code -} when absent), or {@code refused record@line column=c} (or the
     * message) when the reader refused it and went on.
     */
    private static List<String> readAll(RowReader reader, boolean messages) {
        List<String> read = new ArrayList<>();
        Row row = new Row(TABLE.columns().size(), 1024);
        while (true) {
            try {
                if (!reader.next(row)) {
                    return read;
                }
                read.add(value(row, 0) + "|" + value(row, 1) + "|" + value(row, 2));
            }
            catch (MalformedRecordException ex) {
                read.add(messages ? ex.getMessage()
                        : "refused " + ex.record() + "@" + ex.line() + " column=" + ex.column());
            }
        }
    }

    private static String value(Row row, int column) {
        return row.isPresent(column) ? row.text(column) : "-";
    }

    private static LoadableColumn column(String name, String type) {
        return new LoadableColumn(name, type, true, false, false);
    }
}
