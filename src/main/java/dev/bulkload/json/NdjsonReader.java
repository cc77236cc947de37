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
import dev.bulkload.row.RecordTooLargeException;
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

    /** {@link #findLineEnd()} of a line longer than the record limit. */
    private static final int TOO_LONG = -2;

    private final InputStream in;

    private final JsonFactory factory;

    private final JsonObjectDecoder decoder;

    private final int maxLineBytes;

    private final InvalidBytes invalid = new InvalidBytes();

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
            if (end == TOO_LONG) {
                refuseLongLine(row);
            }
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
        // the line is whole: a sequence cut off at its end is refused; offsets count from the line's start
        this.invalid.clear();
        this.invalid.replace(this.buffer, start, end, -start, false);
        try (JsonParser parser = this.factory.createParser(ObjectReadContext.empty(), this.buffer, start,
                end - start)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw refusal("Line " + this.line + " is not a JSON object");
            }
            this.decoder.decode(parser, row, this.invalid);
            if (parser.nextToken() != null) {
                throw refusal("More than one JSON value on line " + this.line);
            }
        }
        catch (JacksonException ex) {
            // the line was parsed on its own: whatever stopped the parser, the next line is read as usual
            PayloadException translated = JsonErrors.translate(ex, current, this.line);
            if (translated instanceof PayloadTooLargeException && this.invalid.first() == InvalidBytes.NONE) {
                throw new RecordTooLargeException(translated.getMessage(), current, this.line, null);
            }
            throw refusal(translated.getMessage());
        }
    }

    /** The line is refused: for its refused bytes, when it has any (the reason the rest did not parse). */
    private MalformedRecordException refusal(String message) {
        String why = (this.invalid.first() != InvalidBytes.NONE) ? this.invalid.describeFirst() : message;
        return new MalformedRecordException(why, this.record, this.line, null);
    }

    /**
     * Refuses a line longer than the record limit, read past to its end without keeping more of it than a reject
     * shows: the next line is read as usual.
     */
    private void refuseLongLine(Row row) {
        long current = ++this.record;
        this.line++;
        row.reset(current, this.line);
        if (row.capturesRaw()) {
            row.appendRaw(this.buffer, this.pos, this.limit - this.pos);
        }
        while (true) {
            for (int i = this.pos; i < this.limit; i++) {
                if (this.buffer[i] == '\n') {
                    this.pos = i + 1;
                    throw new RecordTooLargeException("Line is longer than " + this.maxLineBytes + " bytes", current,
                            this.line, null);
                }
            }
            this.pos = this.limit;
            if (!fill()) {
                throw new RecordTooLargeException("Line is longer than " + this.maxLineBytes + " bytes", current,
                        this.line, null);
            }
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
            if (searchFrom >= this.maxLineBytes) {
                return TOO_LONG;
            }
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
