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

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypeShape;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldTarget;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.Utf8;
import dev.bulkload.json.value.JsonColumnText;

/**
 * Decodes one JSON object, token by token, into a row: each key goes where the load's {@link FieldColumns} say
 * (a column, JSON Pointers into its value, or nowhere). What each value becomes for its column's type is decided in
 * one place, {@link JsonColumnText}, as PostgreSQL's {@code json_populate_record} decides it: null is SQL NULL, a
 * string its content (a JSON string for json and jsonb), numbers and booleans their text as written, objects and
 * arrays their JSON text, except that arrays fill array columns and objects composite columns. A value that does
 * not fit its column's shape (a number for an array column, say) refuses the record as a row error naming the
 * column. A bad key or value is read to the end of the object before the record is refused, so the next record can
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

    /** Per column, the shape of its type (json, array, composite or scalar): decided once, not per value. */
    private final TypeShape[] shapes;


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

    /** The record's first value that does not fit its column's type, where, and PostgreSQL's SQLSTATE for it. */
    private JsonColumnText.Refusal typeProblem;

    private String typeColumn;

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
        this.shapes = table.columns().stream().map(LoadableColumn::shape).toArray(TypeShape[]::new);
        this.nestedFields = new NestedFields(this, fields);
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
        this.typeProblem = null;
        this.typeColumn = null;
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
        if (this.typeProblem != null) {
            throw new RowRejectedException(this.typeProblem.message() + " for column '" + this.typeColumn + "'",
                    row.record(), row.line(), this.typeColumn, this.typeProblem.sqlState(), null);
        }
    }

    /** The record is refused once it has been read to its end; the first reason stands. */
    void refuse(String reason, String column) {
        if (this.problem == null) {
            this.problem = reason;
            this.problemColumn = column;
        }
    }

    /** Whether the column takes an object or array as such: json and jsonb, arrays and composite types. */
    boolean takesStructure(int column) {
        return this.shapes[column].kind() == TypeShape.Kind.JSON || this.shapes[column].structured();
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

    /** Reads the value at the parser into the column, as {@link JsonColumnText#rule} says for the column's type. */
    void readValue(JsonParser parser, JsonToken token, Row row, int column, String name, JsonGenerator raw) {
        if (!token.isScalarValue() && !token.isStructStart()) {
            throw new MalformedRecordException("Unexpected JSON token " + token, row.record(), row.line(), name);
        }
        JsonColumnText.Rule rule = JsonColumnText.rule(this.shapes[column], token);
        switch (rule) {
            case NULL -> row.setNull(column);
            case CONTENT, JSON_STRING -> {
                char[] chars = parser.getStringCharacters();
                int offset = parser.getStringOffset();
                int length = parser.getStringLength();
                row.begin(column);
                boolean stored = (rule == JsonColumnText.Rule.JSON_STRING)
                        ? appendJsonString(row, chars, offset, length) : row.appendChars(chars, offset, length);
                row.end();
                if (!stored) {
                    refuseText(chars, offset, length, name);
                }
            }
            // The parser's own characters are the text as written: 1.50 stays 1.50 and a big
            // integer keeps every digit, in json and in text alike (always ASCII, never refused).
            case AS_WRITTEN -> {
                if (!numberOverLimit(parser, token, name)) {
                    row.begin(column);
                    row.appendChars(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
                    row.end();
                }
            }
            case JSON_TEXT -> {
                if (copyNested(parser, row, name)) {
                    row.set(column, this.nested.buffer(), 0, this.nested.size());
                }
            }
            case ARRAY_LITERAL, RECORD_LITERAL -> {
                if (copyNested(parser, row, name)) {
                    setLiteral(row, column);
                }
            }
            case NOT_AN_ARRAY, NOT_AN_OBJECT -> {
                // read to its end (and checked against the limits) all the same, for the raw text and the next key
                boolean read = token.isStructStart() ? copyNested(parser, row, name)
                        : !numberOverLimit(parser, token, name);
                if (read) {
                    refuseType(JsonColumnText.refusal(rule, token), row, column);
                }
            }
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

    /** Whether a number is over the number-length limit, which then refuses the record. */
    private boolean numberOverLimit(JsonParser parser, JsonToken token, String name) {
        int length = parser.getStringLength();
        if (token.isNumeric() && length > this.limits.maxNumberLength()) {
            overLimit("Number is " + length + " characters long, over the limit of " + this.limits.maxNumberLength(),
                    name);
            return true;
        }
        return false;
    }

    /**
     * Sets the column to the array or record literal of the JSON value in {@link #nested}, or notes why the value
     * does not fit the column's type.
     */
    private void setLiteral(Row row, int column) {
        byte[] json = java.util.Arrays.copyOf(this.nested.buffer(), this.nested.size());
        String literal;
        try (JsonParser parser = replay(json)) {
            literal = JsonColumnText.literal(parser, json, this.shapes[column]);
        }
        catch (JsonColumnText.Refused ex) {
            refuseType(ex.refusal(), row, column);
            return;
        }
        char[] chars = literal.toCharArray();
        row.begin(column);
        boolean stored = row.appendChars(chars, 0, chars.length);
        row.end();
        if (!stored) {
            refuseText(chars, 0, chars.length, columnName(column));
        }
    }

    /** The record is refused as a row error once read to its end; the column is kept present (as NULL). */
    private void refuseType(JsonColumnText.Refusal refusal, Row row, int column) {
        row.setNull(column);
        if (this.typeProblem == null) {
            this.typeProblem = refusal;
            this.typeColumn = columnName(column);
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
