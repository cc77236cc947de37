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

/**
 * Reads a JSON array of objects, one object per record, streaming: the array is never held whole. The array is the
 * whole document, or the one a {@link RecordsPath} points to inside it.
 */
public final class JsonArrayReader implements RowReader {

    private final JsonParser parser;

    private final JsonObjectDecoder decoder;

    private final InputStream in;

    private final RecordsPath path;

    private boolean started;

    private long record;

    public JsonArrayReader(InputStream in, LoadableTable table, ReadLimits limits, long maxDocumentBytes) {
        this(in, table, FieldMapping.NONE.bind(table, 4 * limits.maxColumns()), limits, maxDocumentBytes, null);
    }

    /** @param path where the array of records is, null for the top-level value */
    public JsonArrayReader(InputStream in, LoadableTable table, ReadLimits limits, long maxDocumentBytes,
            RecordsPath path) {
        this(in, table, FieldMapping.NONE.bind(table, 4 * limits.maxColumns()), limits, maxDocumentBytes, path);
    }

    /**
     * A reader whose keys go where {@code fields} say.
     * @param path where the array of records is, null for the top-level value
     */
    public JsonArrayReader(InputStream in, LoadableTable table, FieldColumns fields, ReadLimits limits,
            long maxDocumentBytes, RecordsPath path) {
        // the records nest as deep within their wrapping as they may at the top
        JsonFactory factory = JsonParsers.factory((path == null) ? limits : new ReadLimits(limits.maxFieldBytes(),
                limits.maxColumns(), limits.maxRecordBytes(), limits.maxNestingDepth() + path.depth()),
                maxDocumentBytes);
        this.in = in;
        this.path = path;
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
            if (!this.started && this.path != null) {
                this.started = true;
                this.path.enter(this.parser);
            }
            if (!this.started) {
                this.started = true;
                JsonToken first = this.parser.nextToken();
                if (first == null) {
                    throw new MalformedPayloadException("The request body is empty");
                }
                if (first == JsonToken.START_OBJECT) {
                    throw new MalformedPayloadException("Expected a JSON array of objects, found an object: to load "
                            + "an array inside it, name that array with recordsPath (a JSON Pointer such as /data)",
                            null, line(), null);
                }
                if (first != JsonToken.START_ARRAY) {
                    throw new MalformedPayloadException("Expected a JSON array of objects", null, line(), null);
                }
            }
            JsonToken token = this.parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (this.path != null) {
                    this.path.leave(this.parser);
                }
                if (this.parser.nextToken() != null) {
                    throw new MalformedPayloadException("Unexpected content after the JSON "
                            + ((this.path != null) ? "value that holds the records" : "array"), null, line(), null);
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
