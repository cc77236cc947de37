package dev.bulkload.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/** Reads a JSON array of objects, one object per record, streaming: the array is never held whole. */
public final class JsonArrayReader implements RowReader {

    private final JsonParser parser;

    private final JsonObjectDecoder decoder;

    private final InputStream in;

    private boolean started;

    private long record;

    public JsonArrayReader(InputStream in, LoadableTable table, ReadLimits limits, long maxDocumentBytes) {
        this(in, table, FieldMapping.NONE.bind(table, 4 * limits.maxColumns()), limits, maxDocumentBytes);
    }

    /** A reader whose keys go where {@code fields} say. */
    public JsonArrayReader(InputStream in, LoadableTable table, FieldColumns fields, ReadLimits limits,
            long maxDocumentBytes) {
        JsonFactory factory = JsonParsers.factory(limits, maxDocumentBytes);
        this.in = in;
        try {
            // the parser reads the first bytes to detect the encoding: a body that ends early fails here already
            this.parser = factory.createParser(ObjectReadContext.empty(), in);
        }
        catch (JacksonIOException ex) {
            throw new UncheckedIOException(ex.getCause());
        }
        this.decoder = new JsonObjectDecoder(table, fields, limits, factory, true);
    }

    @Override
    public boolean next(Row row) {
        Long current = null;
        try {
            if (!this.started) {
                this.started = true;
                JsonToken first = this.parser.nextToken();
                if (first == null) {
                    throw new MalformedPayloadException("The request body is empty");
                }
                if (first != JsonToken.START_ARRAY) {
                    throw new MalformedPayloadException("Expected a JSON array of objects", null, line(), null);
                }
            }
            JsonToken token = this.parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (this.parser.nextToken() != null) {
                    throw new MalformedPayloadException("Unexpected content after the JSON array", null, line(), null);
                }
                return false;
            }
            current = ++this.record;
            row.reset(current, line());
            if (token != JsonToken.START_OBJECT) {
                Long line = line();
                this.parser.skipChildren();
                throw new MalformedRecordException("Record " + current + " is not a JSON object", current, line, null);
            }
            this.decoder.decode(this.parser, row);
            return true;
        }
        catch (JacksonIOException ex) {
            throw new UncheckedIOException(ex.getCause());
        }
        catch (JacksonException ex) {
            throw JsonErrors.translate(ex, current, null);
        }
    }

    private Long line() {
        return (long) this.parser.currentTokenLocation().getLineNr();
    }

    @Override
    public void close() throws IOException {
        this.parser.close();
        this.in.close();
    }
}
