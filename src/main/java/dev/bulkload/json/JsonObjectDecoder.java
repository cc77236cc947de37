package dev.bulkload.json;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;

/**
 * Decodes one JSON object, token by token, into a row: keys are column names; strings, numbers and
 * booleans become their text, null is SQL NULL, and nested objects or arrays become JSON text (for
 * {@code json}/{@code jsonb} columns).
 */
final class JsonObjectDecoder {

    private final LoadableTable table;

    private final ReadLimits limits;

    private final JsonFactory factory;

    private final Map<String, Integer> columns = new HashMap<>();

    private final BoundedBuffer nested;

    JsonObjectDecoder(LoadableTable table, ReadLimits limits, JsonFactory factory) {
        this.table = table;
        this.limits = limits;
        this.factory = factory;
        this.nested = new BoundedBuffer(limits.maxFieldBytes());
    }

    /** Reads the object whose START_OBJECT is the parser's current token into the (reset) row. */
    void decode(JsonParser parser, Row row) {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            int column = column(name, row);
            if (row.isPresent(column)) {
                throw new MalformedPayloadException("Key '" + name + "' appears twice in the object", row.record(),
                        row.line(), name);
            }
            token = parser.nextToken();
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
                    this.nested.reset(row, name);
                    try (JsonGenerator generator = this.factory.createGenerator(ObjectWriteContext.empty(),
                            this.nested)) {
                        generator.copyCurrentStructure(parser);
                    }
                    row.set(column, this.nested.toByteArray(), 0, this.nested.size());
                }
                default -> throw new MalformedPayloadException("Unexpected JSON token " + token, row.record(),
                        row.line(), name);
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
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedPayloadException("Unexpected JSON token " + token, row.record(), row.line(), null);
        }
    }

    private int column(String name, Row row) {
        Integer cached = this.columns.get(name);
        if (cached != null) {
            return cached;
        }
        int column = this.table.resolve(name);
        if (column < 0) {
            throw new MalformedPayloadException("Unknown column '" + name + "' for table " + this.table.qualifiedName(),
                    row.record(), row.line(), name);
        }
        if (this.table.columns().get(column).generated()) {
            throw new MalformedPayloadException("Column '" + name + "' is generated and cannot be loaded",
                    row.record(), row.line(), name);
        }
        if (this.columns.size() < 4 * this.limits.maxColumns()) {
            this.columns.put(name, column);
        }
        return column;
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
