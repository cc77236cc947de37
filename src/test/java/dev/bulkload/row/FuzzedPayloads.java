package dev.bulkload.row;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import dev.bulkload.body.PayloadCharset;
import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;

/**
 * What every payload reader must do with any bytes, shared by the readers' fuzz tests: fail only with the
 * service's own payload exceptions, number records strictly upwards, yield only valid UTF-8 without NUL, and
 * finish in bounded work; plus the rows a fuzzer generates, to encode in a payload and read back.
 */
public final class FuzzedPayloads {

    /** id, name, note: loadable text columns; gen: a generated column a payload must not name. */
    public static final LoadableTable TABLE = new LoadableTable("public", "t", List.of(column("id", false),
            column("name", false), column("note", false), column("gen", true)), List.of(), List.of());

    /** The loadable columns, in table order, as generated rows fill them. */
    public static final List<String> COLUMNS = List.of("id", "name", "note");

    /** Small limits, so that any input is bounded work and the limits' own paths are reached. */
    public static final ReadLimits LIMITS = new ReadLimits(64, 8, 512, 8, 40);

    /** Characters that mean something to one of the formats, drawn more often than chance would. */
    private static final String SPECIAL = ",;|\t\"'\\\r\n{}[]:/~ NUL0\u00e9\u20ac\ufeff\u00ff";

    private FuzzedPayloads() {
    }

    /** The charset a fuzz input picks, 0 meaning UTF-8. */
    public static PayloadCharset charset(FuzzedDataProvider data) {
        return data.pickValue(PayloadCharset.values());
    }

    /**
     * The field mapping a fuzz input picks, 0 meaning none: loose names with unknown fields ignored, a renamed
     * field, a dropped field, and with {@code pointers} JSON Pointer entries into nested fields.
     */
    public static FieldColumns fields(FuzzedDataProvider data, boolean pointers) {
        FieldMapping mapping = switch (data.consumeInt(0, pointers ? 3 : 2)) {
            case 0 -> FieldMapping.NONE;
            case 1 -> FieldMapping.parse(List.of("Full Name:name", "gen:"), "loose", "ignore");
            case 2 -> FieldMapping.parse(List.of("x:note"), "exact", "ignore");
            default -> FieldMapping.parse(List.of("/meta/n:note", "/name/first:name", "/a~1b/0:id"), "loose",
                    "reject");
        };
        return mapping.bind(TABLE, 4 * LIMITS.maxColumns());
    }

    /** The payload's bytes as the reader sees them: transcoded from the charset like LoadService does. */
    public static InputStream decoded(PayloadCharset charset, byte[] payload) {
        return charset.decode(new ByteArrayInputStream(payload));
    }

    /**
     * Reads every record of a payload of {@code payloadBytes} bytes, checking each; a payload exception ends the
     * read as the service would end the load, anything else fails the test.
     * @return the number of records read before the end or the payload exception
     */
    public static int readAll(RowReader reader, Row row, long payloadBytes) {
        // every record takes at least one byte of UTF-8 (two of the charsets take up to three per byte)
        long maxRecords = 3 * payloadBytes + 2;
        int records = 0;
        long previous = 0;
        try (reader) {
            while (reader.next(row)) {
                records++;
                assertThat((long) records).as("records read from %s bytes", payloadBytes).isLessThanOrEqualTo(maxRecords);
                assertThat(row.record()).as("record number").isGreaterThan(previous);
                previous = row.record();
                checkValues(row);
            }
        }
        catch (PayloadException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        catch (java.io.IOException ex) {
            throw new AssertionError("close failed", ex);
        }
        return records;
    }

    /** Every present, non-null value is valid UTF-8 holding no NUL. */
    public static void checkValues(Row row) {
        for (int column = 0; column < row.columnCount(); column++) {
            if (row.isPresent(column) && !row.isNull(column)) {
                byte[] value = Arrays.copyOfRange(row.data(), row.start(column), row.start(column) + row.length(column));
                assertThat(value).as("value of column %d in record %d", column, row.record()).doesNotContain((byte) 0);
                try {
                    StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value));
                }
                catch (CharacterCodingException ex) {
                    throw new AssertionError("column " + column + " of record " + row.record()
                            + " is not valid UTF-8: " + Arrays.toString(value), ex);
                }
            }
        }
    }

    /**
     * Rows to encode: up to 8, each value of each of {@link #COLUMNS} null or a string of up to 12 characters
     * that the charset can encode (never NUL, never an unpaired surrogate).
     */
    public static List<List<String>> rows(FuzzedDataProvider data, PayloadCharset charset) {
        CharsetEncoder encoder = Charset.forName(charset.label()).newEncoder();
        int count = data.consumeInt(0, 8);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            List<String> values = new ArrayList<>();
            for (int c = 0; c < COLUMNS.size(); c++) {
                values.add(data.consumeBoolean() ? null : text(data, encoder));
            }
            rows.add(values);
        }
        return rows;
    }

    /** The rows as they came out of the reader, null for SQL NULL. */
    public static List<String> values(Row row) {
        List<String> values = new ArrayList<>();
        for (int column = 0; column < COLUMNS.size(); column++) {
            values.add(row.isNull(column) ? null : row.text(column));
        }
        return values;
    }

    /** A JSON object of the row's values, escaping what must be and, with {@code escapeAll}, everything else. */
    public static String jsonObject(List<String> values, boolean escapeAll) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            json.append((i > 0) ? "," : "").append('"').append(COLUMNS.get(i)).append("\":");
            String value = values.get(i);
            if (value == null) {
                json.append("null");
                continue;
            }
            json.append('"');
            for (char c : value.toCharArray()) {
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                }
                else if (c < 0x20 || escapeAll) {
                    json.append(String.format("\\u%04x", (int) c));
                }
                else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        return json.append('}').toString();
    }

    private static String text(FuzzedDataProvider data, CharsetEncoder encoder) {
        int length = data.consumeInt(0, 12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint = switch (data.consumeInt(0, 3)) {
                case 0 -> SPECIAL.charAt(data.consumeInt(0, SPECIAL.length() - 1));
                case 1 -> data.consumeInt(1, 0x7F);
                case 2 -> data.consumeInt(0x80, 0x7FF);
                default -> data.consumeInt(1, 0x10FFFF);
            };
            String character = Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF ? "x"
                    : Character.toString(codePoint);
            // a leading byte-order mark is the payload's, not the value's: keep U+FEFF away from the start
            if (encoder.canEncode(character) && !(i == 0 && codePoint == 0xFEFF)) {
                text.append(character);
            }
        }
        return text.toString();
    }

    private static LoadableColumn column(String name, boolean generated) {
        return new LoadableColumn(name, "text", true, false, generated);
    }
}
