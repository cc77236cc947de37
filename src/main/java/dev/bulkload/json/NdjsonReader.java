package dev.bulkload.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;

/**
 * Reads newline-delimited JSON: exactly one object per line, blank lines skipped. Each line is
 * parsed on its own, so an error names the exact line and a broken line cannot swallow the next.
 */
public final class NdjsonReader implements RowReader {

    // a small load reads into a small buffer; one that keeps filling it gets a bigger one, up to READ_BUFFER
    private static final int INITIAL_BUFFER = 8 * 1024;

    private static final int READ_BUFFER = 64 * 1024;

    private final InputStream in;

    private final JsonFactory factory;

    private final JsonObjectDecoder decoder;

    private final int maxLineBytes;

    private byte[] buffer = new byte[INITIAL_BUFFER];

    /** Whether the last read filled the buffer: the payload is bigger than it. */
    private boolean filledBuffer;

    private int pos;

    private int limit;

    private boolean endOfInput;

    private boolean sawAnyByte;

    private long line;

    private long record;

    public NdjsonReader(InputStream in, LoadableTable table, ReadLimits limits, long maxDocumentBytes) {
        this(in, table, FieldMapping.NONE.bind(table, 4 * limits.maxColumns()), limits, maxDocumentBytes);
    }

    /** A reader whose keys go where {@code fields} say. */
    public NdjsonReader(InputStream in, LoadableTable table, FieldColumns fields, ReadLimits limits,
            long maxDocumentBytes) {
        this.in = in;
        this.factory = JsonParsers.factory(limits, maxDocumentBytes);
        this.decoder = new JsonObjectDecoder(table, fields, limits, this.factory, false);
        this.maxLineBytes = limits.maxRecordBytes();
    }

    @Override
    public boolean next(Row row) {
        while (true) {
            int end = findLineEnd();
            if (end < 0) {
                if (!this.sawAnyByte) {
                    throw new MalformedPayloadException("The request body is empty");
                }
                return false;
            }
            int start = this.pos;
            int next = (end < this.limit) ? end + 1 : end;
            this.pos = next;
            this.line++;
            if (isBlank(start, end)) {
                continue;
            }
            readObject(row, start, end);
            return true;
        }
    }

    private void readObject(Row row, int start, int end) {
        long current = ++this.record;
        row.reset(current, this.line);
        if (row.capturesRaw()) {
            row.appendRaw(this.buffer, start, end - start);
        }
        try (JsonParser parser = this.factory.createParser(ObjectReadContext.empty(), this.buffer, start,
                end - start)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRecordException("Line " + this.line + " is not a JSON object", current, this.line,
                        null);
            }
            this.decoder.decode(parser, row);
            if (parser.nextToken() != null) {
                throw new MalformedRecordException("More than one JSON value on line " + this.line, current,
                        this.line, null);
            }
        }
        catch (JacksonException ex) {
            PayloadException translated = JsonErrors.translate(ex, current, this.line);
            if (translated instanceof MalformedPayloadException) {
                throw new MalformedRecordException(translated.getMessage(), current, this.line, null);
            }
            throw translated;
        }
    }

    /** The index of the '\n' ending the line at {@code pos} (or {@code limit} for a last line without one), or -1. */
    private int findLineEnd() {
        int searchFrom = this.pos;
        while (true) {
            for (int i = searchFrom; i < this.limit; i++) {
                if (this.buffer[i] == '\n') {
                    return i;
                }
            }
            searchFrom = this.limit - this.pos;
            if (!fill()) {
                return (this.pos < this.limit) ? this.limit : -1;
            }
            searchFrom += this.pos;
        }
    }

    /** Moves the unread bytes to the front and reads more; grows the buffer for a long line. */
    private boolean fill() {
        if (this.endOfInput) {
            return false;
        }
        int unread = this.limit - this.pos;
        if (unread == this.buffer.length) {
            if (this.buffer.length >= this.maxLineBytes) {
                throw new PayloadTooLargeException("Line is longer than " + this.maxLineBytes + " bytes",
                        this.record + 1, this.line + 1, null);
            }
            this.buffer = Arrays.copyOf(this.buffer, (int) Math.min((long) this.buffer.length * 2, this.maxLineBytes));
        }
        else if (this.filledBuffer && this.buffer.length < READ_BUFFER) {
            this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
        }
        System.arraycopy(this.buffer, this.pos, this.buffer, 0, unread);
        this.pos = 0;
        this.limit = unread;
        try {
            int n = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
            if (n < 0) {
                this.endOfInput = true;
                return false;
            }
            this.sawAnyByte |= n > 0;
            this.limit += n;
            this.filledBuffer = this.limit == this.buffer.length;
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = this.buffer[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        this.in.close();
    }
}
