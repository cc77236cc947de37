package dev.bulkload.json;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;

/**
 * Decodes one JSON object, token by token, into a row: keys are column names; strings, numbers and
 * booleans become their text, null is SQL NULL, and nested objects or arrays become JSON text (for
 * {@code json}/{@code jsonb} columns). A bad key or value is read to the end of the object before
 * the record is refused, so the next record can still be read.
 */
final class JsonObjectDecoder {

    private final LoadableTable table;

    private final ReadLimits limits;

    private final JsonFactory factory;

    private final boolean writeRaw;

    private final Map<String, Integer> columns = new HashMap<>();

    private final BoundedBuffer nested;

    /**
     * @param writeRaw whether to give rows that keep raw text the object re-serialized (for JSON
     * arrays, whose original bytes are not at hand; NDJSON hands over the line itself)
     */
    JsonObjectDecoder(LoadableTable table, ReadLimits limits, JsonFactory factory, boolean writeRaw) {
        this.table = table;
        this.limits = limits;
        this.factory = factory;
        this.writeRaw = writeRaw;
        this.nested = new BoundedBuffer(limits.maxFieldBytes());
    }

    /** Reads the object whose START_OBJECT is the parser's current token into the (reset) row. */
    void decode(JsonParser parser, Row row) {
        JsonGenerator raw = (this.writeRaw && row.capturesRaw())
                ? this.factory.createGenerator(ObjectWriteContext.empty(), new RawOutput(row)) : null;
        String problem = null;
        String problemColumn = null;
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
                int column = column(name);
                String refusal = (column == -1) ? "Unknown column '" + name + "' for table " + this.table.qualifiedName()
                        : (column == -2) ? "Column '" + name + "' is generated and cannot be loaded"
                        : row.isPresent(column) ? "Key '" + name + "' appears twice in the object" : null;
                token = parser.nextToken();
                if (refusal != null) {
                    if (problem == null) {
                        problem = refusal;
                        problemColumn = name;
                    }
                    skipValue(parser, token, raw, row, name);
                    continue;
                }
                readValue(parser, token, row, column, name, raw);
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
        if (problem != null) {
            throw new MalformedRecordException(problem, row.record(), row.line(), problemColumn);
        }
    }

    private void readValue(JsonParser parser, JsonToken token, Row row, int column, String name, JsonGenerator raw) {
        switch (token) {
            case VALUE_NULL -> row.setNull(column);
            case VALUE_STRING -> {
                row.begin(column);
                row.appendChars(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
                row.end();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                char[] text = parser.getString().toCharArray();
                row.begin(column);
                row.appendChars(text, 0, text.length);
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
                raw.copyCurrentEvent(parser);
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
            raw.copyCurrentEvent(parser);
        }
    }

    private void copyNested(JsonParser parser, Row row, String name) {
        this.nested.reset(row, name);
        try (JsonGenerator generator = this.factory.createGenerator(ObjectWriteContext.empty(), this.nested)) {
            generator.copyCurrentStructure(parser);
        }
    }

    /** The column index, -1 for an unknown name, -2 for a generated column. */
    private int column(String name) {
        Integer cached = this.columns.get(name);
        if (cached != null) {
            return cached;
        }
        int column = this.table.resolve(name);
        if (column >= 0 && this.table.columns().get(column).generated()) {
            column = -2;
        }
        if (this.columns.size() < 4 * this.limits.maxColumns()) {
            this.columns.put(name, column);
        }
        return column;
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
