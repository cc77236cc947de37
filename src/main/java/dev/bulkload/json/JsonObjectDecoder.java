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
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;

/**
 * Decodes one JSON object, token by token, into a row: each key goes where the load's {@link FieldColumns} say
 * (a column, JSON Pointers into its value, or nowhere); null is SQL NULL.
 * Into a {@code json}/{@code jsonb} column every other value goes as the same JSON value (a string
 * keeps its quotes); into any other column a string gives its content, and numbers, booleans and
 * nested objects or arrays their JSON text. Numbers keep the text they were written with. A bad key
 * or value is read to the end of the object before the record is refused, so the next record can
 * still be read.
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

    /** Reads the object whose START_OBJECT is the parser's current token into the (reset) row. */
    void decode(JsonParser parser, Row row) {
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
                if (raw != null) {
                    raw.writeName(name);
                }
                FieldTarget target = this.fields.field(name, row);
                int column = target.column();
                token = parser.nextToken();
                if (column >= 0 && target.pointers() == null && !row.isPresent(column)) {
                    readValue(parser, token, row, column, name, raw);
                }
                else if (target.skipped()) {
                    // an ignored or dropped field: read past, nothing copied (but into the raw text, when kept)
                    if (raw != null) {
                        copyExact(parser, raw);
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
            }
            if (token != JsonToken.END_OBJECT) {
                throw new MalformedRecordException("Unexpected JSON token " + token, row.record(), row.line(), null);
            }
            if (raw != null) {
                raw.writeEndObject();
            }
        }
        finally {
            if (raw != null) {
                raw.close();
            }
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

    /** The current value as JSON text (numbers as written), bounded by the field limit. */
    byte[] capture(JsonParser parser, Row row, String name) {
        copyNested(parser, row, name);
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
                row.begin(column);
                if (this.jsonColumns[column]) {
                    appendJsonString(row, parser.getStringCharacters(), parser.getStringOffset(),
                            parser.getStringLength());
                }
                else {
                    row.appendChars(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
                }
                row.end();
            }
            // The parser's own characters are the text as written: 1.50 stays 1.50 and a big
            // integer keeps every digit, in json and in text alike.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                row.begin(column);
                row.appendChars(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
                row.end();
            }
            case START_OBJECT, START_ARRAY -> {
                copyNested(parser, row, name);
                row.set(column, this.nested.buffer(), 0, this.nested.size());
            }
            default -> throw new MalformedRecordException("Unexpected JSON token " + token, row.record(), row.line(),
                    name);
        }
        if (raw != null) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                raw.writeRawValue(new String(this.nested.buffer(), 0, this.nested.size(), StandardCharsets.UTF_8));
            }
            else {
                copyExact(parser, raw);
            }
        }
        if (row.length(column) > this.limits.maxFieldBytes()) {
            throw new PayloadTooLargeException("Value is larger than " + this.limits.maxFieldBytes() + " bytes",
                    row.record(), row.line(), name);
        }
        if (row.size() > this.limits.maxRecordBytes()) {
            throw new PayloadTooLargeException("Record is larger than " + this.limits.maxRecordBytes() + " bytes",
                    row.record(), row.line(), name);
        }
    }

    private void skipValue(JsonParser parser, JsonToken token, JsonGenerator raw, Row row, String name) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            copyNested(parser, row, name);
            if (raw != null) {
                raw.writeRawValue(new String(this.nested.buffer(), 0, this.nested.size(), StandardCharsets.UTF_8));
            }
        }
        else if (raw != null) {
            copyExact(parser, raw);
        }
    }

    private void copyNested(JsonParser parser, Row row, String name) {
        this.nested.reset(row, name);
        try (JsonGenerator generator = this.factory.createGenerator(ObjectWriteContext.empty(), this.nested)) {
            copyExact(parser, generator);
        }
    }

    /**
     * Copies the current value, a whole object or array included, keeping each number's text:
     * Jackson's own copy reads numbers as doubles (1.50 becomes 1.5, 1e3 becomes 1000.0, long
     * fractions lose digits), and its exact copy goes through BigDecimal (1e3 becomes 1E+3).
     */
    static void copyExact(JsonParser parser, JsonGenerator generator) {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
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
            if (token.isStructStart()) {
                depth++;
            }
            else if (token.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
            // Inside a structure the parser fails on a truncated document rather than returning null.
            token = parser.nextToken();
        }
    }

    /**
     * Appends characters as a JSON string literal, quoted and escaped as RFC 8259 requires. Runs of
     * characters that need no escape are appended whole; a run only ever breaks at an ASCII
     * character, so a surrogate pair is never split.
     */
    static void appendJsonString(Row row, char[] chars, int offset, int length) {
        row.append((byte) '"');
        int end = offset + length;
        int run = offset;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            row.appendChars(chars, run, i - run);
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
        row.appendChars(chars, run, end - run);
        row.append((byte) '"');
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

    /** Collects a nested value's JSON text, failing as soon as it outgrows the field limit. */
    private static final class BoundedBuffer extends ByteArrayOutputStream {

        private final int max;

        private Row row;

        private String column;

        BoundedBuffer(int max) {
            this.max = max;
        }

        void reset(Row row, String column) {
            reset();
            this.row = row;
            this.column = column;
        }

        byte[] buffer() {
            return this.buf;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int extra) {
            if ((long) this.count + extra > this.max) {
                throw new PayloadTooLargeException("Value is larger than " + this.max + " bytes", this.row.record(),
                        this.row.line(), this.column);
            }
        }
    }
}
