package dev.bulkload.json;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldTarget;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;
import dev.bulkload.row.Utf8;

/**
 * Decodes one JSON object, token by token, into a row: each key goes where the load's {@link FieldColumns} say
 * (a column, JSON Pointers into its value, or nowhere); null is SQL NULL.
 * Into a {@code json}/{@code jsonb} column every other value goes as the same JSON value (a string
 * keeps its quotes); into any other column a string gives its content, and numbers, booleans and
 * nested objects or arrays their JSON text. Numbers keep the text they were written with. A bad key
 * or value is read to the end of the object before the record is refused, so the next record can
 * still be read. Refused text the reader marked in {@link InvalidBytes} (invalid UTF-8, NUL, an
 * escape of U+0000 or of half a surrogate pair) refuses the record wherever it is, in a key or a
 * value, nested or not, naming the column when it is in a value. A value over a limit (a number,
 * the nesting, the field or record size) refuses the record too, read to its end all the same.
 */
final class JsonObjectDecoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final LoadableTable table;

    private final ReadLimits limits;

    private final JsonFactory factory;

    private final boolean writeRaw;

    private final FieldColumns fields;

    private final NestedFields nestedFields;

    private final BoundedBuffer nested;

    /** Per column, whether it takes JSON values rather than text: decided once, not per value. */
    private final boolean[] jsonColumns;

    /** The first reason the current record is refused, and the field or column it names. */
    private String problem;

    private String problemColumn;

    /** The marks of the input being decoded. */
    private InvalidBytes invalid;

    /** The record's first refused text, which wins over any other problem it has, and where it was. */
    private String textProblem;

    private String textColumn;

    /** The record's first value over a limit, and where: the values after it are read past, not kept. */
    private String limitProblem;

    private String limitColumn;

    /**
     * @param writeRaw whether to give rows that keep raw text the object re-serialized (for JSON
     * arrays, whose original bytes are not at hand; NDJSON hands over the line itself)
     */
    JsonObjectDecoder(LoadableTable table, FieldColumns fields, ReadLimits limits, JsonFactory factory,
            boolean writeRaw) {
        this.table = table;
        this.fields = fields;
        this.limits = limits;
        this.factory = factory;
        this.writeRaw = writeRaw;
        this.nested = new BoundedBuffer(limits.maxFieldBytes());
        this.jsonColumns = new boolean[table.columns().size()];
        for (int i = 0; i < this.jsonColumns.length; i++) {
            this.jsonColumns[i] = isJsonType(table.columns().get(i).type());
        }
        this.nestedFields = new NestedFields(this, fields);
    }

    /**
     * Whether a column of this {@code format_type} text holds JSON. Arrays of json are not: their
     * text form is an array literal. Domains over json show their own name and are taken as text.
     */
    static boolean isJsonType(String type) {
        return "json".equals(type) || "jsonb".equals(type);
    }

    /**
     * Reads the object whose START_OBJECT is the parser's current token into the (reset) row.
     * @param invalid the marks of the bytes the parser reads: offsets in the parser's own byte offsets
     */
    void decode(JsonParser parser, Row row, InvalidBytes invalid) {
        this.invalid = invalid;
        this.textProblem = null;
        this.textColumn = null;
        this.limitProblem = null;
        this.limitColumn = null;
        JsonGenerator raw = (this.writeRaw && row.capturesRaw())
                ? this.factory.createGenerator(ObjectWriteContext.empty(), new RawOutput(row)) : null;
        this.problem = null;
        this.problemColumn = null;
        try {
            if (raw != null) {
                raw.writeStartObject();
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                // the parser has read the key, its colon and any number after it: a mark before here is in the key
                passInvalidBytes(parser, null, true);
                if (raw != null) {
                    raw.writeName(name);
                }
                FieldTarget target = this.fields.field(name, row);
                int column = target.column();
                token = parser.nextToken();
                if (this.limitProblem != null) {
                    // the record is refused for a value over a limit: the rest is read past
                    skipValue(parser, token, raw, row, name);
                }
                else if (column >= 0 && target.pointers() == null && !row.isPresent(column)) {
                    readValue(parser, token, row, column, name, raw);
                }
                else if (target.skipped()) {
                    // an ignored or dropped field: read past, nothing copied (but into the raw text, when kept)
                    if (raw != null) {
                        copyExact(parser, raw, null, false);
                    }
                    else {
                        parser.skipChildren();
                    }
                }
                else if (target.pointers() != null) {
                    this.nestedFields.read(parser, token, target, name, row, raw);
                }
                else {
                    refuse((target.refusal() != null) ? target.refusal()
                            : "Key '" + name + "' appears twice in the object", name);
                    skipValue(parser, token, raw, row, name);
                }
                passInvalidBytes(parser, name, false);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new MalformedRecordException("Unexpected JSON token " + token, row.record(), row.line(), null);
            }
            passInvalidBytes(parser, null, false);
            if (raw != null) {
                raw.writeEndObject();
            }
        }
        finally {
            if (raw != null) {
                raw.close();
            }
        }
        if (this.textProblem != null) {
            throw new MalformedRecordException(this.textProblem, row.record(), row.line(), this.textColumn);
        }
        if (this.limitProblem != null) {
            throw new RecordTooLargeException(this.limitProblem, row.record(), row.line(), this.limitColumn);
        }
        if (this.problem != null) {
            throw new MalformedRecordException(this.problem, row.record(), row.line(), this.problemColumn);
        }
    }

    /** The record is refused once it has been read to its end; the first reason stands. */
    void refuse(String reason, String column) {
        if (this.problem == null) {
            this.problem = reason;
            this.problemColumn = column;
        }
    }

    boolean isJsonColumn(int column) {
        return this.jsonColumns[column];
    }

    String columnName(int column) {
        return this.table.columns().get(column).name();
    }

    /**
     * The current value as JSON text (numbers as written), bounded by the field limit; a value over a limit refuses
     * the record and is captured as {@code null}.
     */
    byte[] capture(JsonParser parser, Row row, String name) {
        if (!copyNested(parser, row, name)) {
            return "null".getBytes(StandardCharsets.US_ASCII);
        }
        return java.util.Arrays.copyOf(this.nested.buffer(), this.nested.size());
    }

    /** A parser over captured JSON text, on its first token. */
    JsonParser replay(byte[] json) {
        JsonParser parser = this.factory.createParser(ObjectReadContext.empty(), json, 0, json.length);
        parser.nextToken();
        return parser;
    }

    void readValue(JsonParser parser, JsonToken token, Row row, int column, String name, JsonGenerator raw) {
        switch (token) {
            case VALUE_NULL -> row.setNull(column);
            case VALUE_STRING -> {
                char[] chars = parser.getStringCharacters();
                int offset = parser.getStringOffset();
                int length = parser.getStringLength();
                row.begin(column);
                boolean stored = this.jsonColumns[column] ? appendJsonString(row, chars, offset, length)
                        : row.appendChars(chars, offset, length);
                row.end();
                if (!stored) {
                    refuseText(chars, offset, length, name);
                }
            }
            // The parser's own characters are the text as written: 1.50 stays 1.50 and a big
            // integer keeps every digit, in json and in text alike (always ASCII, never refused).
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                int length = parser.getStringLength();
                if (length > this.limits.maxNumberLength() && token.isNumeric()) {
                    overLimit("Number is " + length + " characters long, over the limit of "
                            + this.limits.maxNumberLength(), name);
                }
                else {
                    row.begin(column);
                    row.appendChars(parser.getStringCharacters(), parser.getStringOffset(), length);
                    row.end();
                }
            }
            case START_OBJECT, START_ARRAY -> {
                if (copyNested(parser, row, name)) {
                    row.set(column, this.nested.buffer(), 0, this.nested.size());
                }
            }
            default -> throw new MalformedRecordException("Unexpected JSON token " + token, row.record(), row.line(),
                    name);
        }
        if (raw != null) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                raw.writeRawValue(new String(this.nested.buffer(), 0, this.nested.size(), StandardCharsets.UTF_8));
            }
            else {
                copyExact(parser, raw, null, false);
            }
        }
        if (row.isPresent(column) && row.length(column) > this.limits.maxFieldBytes()) {
            overLimit("Value is larger than " + this.limits.maxFieldBytes() + " bytes", name);
        }
        else if (row.size() > this.limits.maxRecordBytes()) {
            overLimit("Record is larger than " + this.limits.maxRecordBytes() + " bytes", name);
        }
    }

    /** Reads past a value the record is refused for anyway. */
    private void skipValue(JsonParser parser, JsonToken token, JsonGenerator raw, Row row, String name) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            if (raw == null) {
                parser.skipChildren();
                return;
            }
            copyNested(parser, row, name);
            raw.writeRawValue(new String(this.nested.buffer(), 0, this.nested.size(), StandardCharsets.UTF_8));
            return;
        }
        if (raw != null) {
            copyExact(parser, raw, null, false);
        }
    }

    /** Copies a nested value into {@link #nested}; false when it is over a limit (and was read past). */
    private boolean copyNested(JsonParser parser, Row row, String name) {
        this.nested.reset();
        try (JsonGenerator generator = this.factory.createGenerator(ObjectWriteContext.empty(), this.nested)) {
            if (!copyExact(parser, generator, name, true)) {
                return false;
            }
        }
        if (this.nested.overflowed()) {
            overLimit("Value is larger than " + this.limits.maxFieldBytes() + " bytes", name);
            return false;
        }
        return true;
    }

    /**
     * Copies the current value, a whole object or array included, keeping each number's text:
     * Jackson's own copy reads numbers as doubles (1.50 becomes 1.5, 1e3 becomes 1000.0, long
     * fractions lose digits), and its exact copy goes through BigDecimal (1e3 becomes 1E+3).
     * @param check whether to check the value's nesting and numbers and pass the marks of refused text in it
     *     token by token (for the column), or only copy a value checked already
     * @return false when the value is over a limit: the rest of it was read past, not copied
     */
    private boolean copyExact(JsonParser parser, JsonGenerator generator, String column, boolean check) {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (check && (token.isStructStart() || token.isNumeric()) && overLimit(parser, token, depth, column)) {
                if (token.isStructStart()) {
                    parser.skipChildren();
                }
                skipRest(parser, depth, column);
                return false;
            }
            switch (token) {
                case START_OBJECT -> generator.writeStartObject();
                case END_OBJECT -> generator.writeEndObject();
                case START_ARRAY -> generator.writeStartArray();
                case END_ARRAY -> generator.writeEndArray();
                case PROPERTY_NAME -> generator.writeName(parser.currentName());
                case VALUE_STRING -> generator.writeString(parser.getStringCharacters(), parser.getStringOffset(),
                        parser.getStringLength());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getStringCharacters(),
                        parser.getStringOffset(), parser.getStringLength());
                default -> generator.copyCurrentEvent(parser);
            }
            if (check) {
                // a long nested value: marks are passed (and forgotten) as the parser passes them
                passInvalidBytes(parser, column, token == JsonToken.PROPERTY_NAME);
            }
            if (token.isStructStart()) {
                depth++;
            }
            else if (token.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return true;
            }
            // Inside a structure the parser fails on a truncated document rather than returning null.
            token = parser.nextToken();
        }
    }

    /**
     * Whether the token of a nested value, inside {@code depth} of its structures, is over a limit: a structure
     * deeper than the nesting limit (the record's object is level 1, the value level 2), a number too long.
     */
    private boolean overLimit(JsonParser parser, JsonToken token, int depth, String column) {
        if (token.isStructStart() && depth + 2 > this.limits.maxNestingDepth()) {
            overLimit("JSON is nested deeper than " + this.limits.maxNestingDepth() + " levels", column);
            return true;
        }
        if (token.isNumeric() && parser.getStringLength() > this.limits.maxNumberLength()) {
            overLimit("Number is " + parser.getStringLength() + " characters long, over the limit of "
                    + this.limits.maxNumberLength(), column);
            return true;
        }
        return false;
    }

    /** Reads past the rest of the {@code open} structures the parser is inside, copying nothing. */
    private void skipRest(JsonParser parser, int open, String column) {
        passInvalidBytes(parser, column, false);
        int depth = open;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token.isStructStart()) {
                parser.skipChildren();
            }
            else if (token.isStructEnd()) {
                depth--;
            }
            passInvalidBytes(parser, column, token == JsonToken.PROPERTY_NAME);
        }
    }

    private void overLimit(String problem, String column) {
        if (this.limitProblem == null) {
            this.limitProblem = problem;
            this.limitColumn = column;
        }
    }

    /**
     * Notes the first mark the parser has passed as the record's refused text, in the given column (null when not
     * known) and in a key or not, and forgets the marks it has passed. Costs nothing while nothing is marked.
     */
    private void passInvalidBytes(JsonParser parser, String column, boolean key) {
        long first = this.invalid.first();
        if (first == InvalidBytes.NONE) {
            return;
        }
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            // a string is read when asked for: have it read, so the place is after it
            parser.getStringLength();
        }
        long passed = parser.currentLocation().getByteOffset();
        if (first < passed) {
            refuseText((key ? "In a key: " : "") + this.invalid.describeFirst(), column);
            this.invalid.forgetBefore(passed);
        }
    }

    /** A value the row cannot encode: only escapes give such characters, and the reader replaced those already. */
    private void refuseText(char[] chars, int offset, int length, String column) {
        int at = Utf8.firstInvalid(chars, offset, length);
        refuseText(Utf8.describe(chars[Math.max(at, offset)]), column);
    }

    private void refuseText(String problem, String column) {
        if (this.textProblem == null) {
            this.textProblem = problem;
            this.textColumn = column;
        }
    }

    /**
     * Appends characters as a JSON string literal, quoted and escaped as RFC 8259 requires. Runs of
     * characters that need no escape are appended whole; a run only ever breaks at an ASCII
     * character, so a surrogate pair is never split.
     * @return false when a character is one {@link Utf8} refuses (U+0000, an unpaired surrogate)
     */
    static boolean appendJsonString(Row row, char[] chars, int offset, int length) {
        row.append((byte) '"');
        int end = offset + length;
        int run = offset;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (c == 0 || !row.appendChars(chars, run, i - run)) {
                return false;
            }
            row.append((byte) '\\');
            switch (c) {
                case '"', '\\' -> row.append((byte) c);
                case '\n' -> row.append((byte) 'n');
                case '\r' -> row.append((byte) 'r');
                case '\t' -> row.append((byte) 't');
                case '\b' -> row.append((byte) 'b');
                case '\f' -> row.append((byte) 'f');
                default -> {
                    row.append((byte) 'u');
                    row.append((byte) '0');
                    row.append((byte) '0');
                    row.append(HEX[c >> 4]);
                    row.append(HEX[c & 0xF]);
                }
            }
            run = i + 1;
        }
        if (!row.appendChars(chars, run, end - run)) {
            return false;
        }
        row.append((byte) '"');
        return true;
    }

    /** Feeds a generator's output into the row's raw text, which keeps only the first bytes. */
    private static final class RawOutput extends OutputStream {

        private final Row row;

        RawOutput(Row row) {
            this.row = row;
        }

        @Override
        public void write(int b) {
            this.row.appendRaw(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            this.row.appendRaw(b, off, len);
        }
    }

    /** Collects a nested value's JSON text, keeping none of what would outgrow the field limit. */
    private static final class BoundedBuffer extends ByteArrayOutputStream {

        private final int max;

        private boolean overflowed;

        BoundedBuffer(int max) {
            this.max = max;
        }

        @Override
        public void reset() {
            super.reset();
            this.overflowed = false;
        }

        /** Whether some of the value was dropped for being over the limit. */
        boolean overflowed() {
            return this.overflowed;
        }

        byte[] buffer() {
            return this.buf;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (fits(len)) {
                super.write(b, off, len);
            }
        }

        @Override
        public void write(int b) {
            if (fits(1)) {
                super.write(b);
            }
        }

        private boolean fits(int extra) {
            this.overflowed |= (long) this.count + extra > this.max;
            return !this.overflowed;
        }
    }
}
