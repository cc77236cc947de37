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

    private final InvalidBytes invalid = new InvalidBytes();

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
        // the records nest as deep within their wrapping as they may at the top (the decoder counts their depth
        // from the record itself; the parser's own limit counts from the top)
        JsonFactory factory = JsonParsers.factory((path == null) ? limits : new ReadLimits(limits.maxFieldBytes(),
                limits.maxColumns(), limits.maxRecordBytes(), limits.maxNestingDepth() + path.depth(),
                limits.maxNumberLength()), maxDocumentBytes);
        this.in = new Utf8CheckedInput(in, this.invalid);
        this.path = path;
        try {
            // the parser reads the first bytes to detect the encoding: a body that ends early fails here already
            this.parser = factory.createParser(ObjectReadContext.empty(), this.in);
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
                refuseMarksOutsideRecords();
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
                refuseMarksOutsideRecords();
                return false;
            }
            current = ++this.record;
            row.reset(current, line());
            if (token != JsonToken.START_OBJECT) {
                Long line = line();
                if (token == JsonToken.VALUE_STRING) {
                    // read to its end, so marks in it are passed with it
                    this.parser.getStringLength();
                }
                this.parser.skipChildren();
                passMarks(current);
                throw new MalformedRecordException("Record " + current + " is not a JSON object", current, line, null);
            }
            this.decoder.decode(this.parser, row, this.invalid);
            passMarks(current);
            return true;
        }
        catch (JacksonIOException ex) {
            throw new UncheckedIOException(ex.getCause());
        }
        catch (JacksonException ex) {
            long where = (ex.getLocation() != null) ? ex.getLocation().getByteOffset() : -1;
            if (this.invalid.first() != InvalidBytes.NONE && (where < 0 || this.invalid.first() <= where)) {
                // the parser stopped at (or after) a refused byte outside a string: that is the reason
                Long line = (ex.getLocation() != null && ex.getLocation().getLineNr() > 0)
                        ? Long.valueOf(ex.getLocation().getLineNr()) : null;
                throw new MalformedPayloadException(this.invalid.describeFirst(), current, line, null);
            }
            throw JsonErrors.translate(ex, current, null);
        }
    }

    /**
     * Forgets the marks the parser has passed (the decoder refused their record already), and fails the load when
     * marks had to be dropped: a record could then hold a refused byte that no mark names.
     */
    private void passMarks(Long current) {
        if (this.invalid.overflowed()) {
            throw new MalformedPayloadException("Too many invalid UTF-8 byte sequences to refuse each record alone",
                    current, line(), null);
        }
        if (this.invalid.first() != InvalidBytes.NONE) {
            this.invalid.forgetBefore(this.parser.currentLocation().getByteOffset());
        }
    }

    /**
     * Fails the load for refused text the parser passed outside every record: in what wraps the records (read past
     * to and after the array a {@link RecordsPath} names), where no record can take the refusal.
     */
    private void refuseMarksOutsideRecords() {
        if (this.invalid.first() != InvalidBytes.NONE
                && this.invalid.first() < this.parser.currentLocation().getByteOffset()) {
            throw new MalformedPayloadException(this.invalid.describeFirst() + " outside the records", null, line(),
                    null);
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
