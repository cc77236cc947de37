package dev.bulkload.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.mapping.FieldColumns;
import dev.bulkload.mapping.FieldMapping;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.ReadLimits;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.Utf8;

/**
 * Reads RFC 4180 CSV from a byte stream, one record at a time, into rows whose slots are the
 * table's columns. Tracks the physical line each record starts on (quoted fields may span lines),
 * refuses text {@link Utf8} refuses (invalid UTF-8, NUL), skips a byte-order mark and blank lines, and enforces the
 * field limits. The header's fields go where the load's {@link FieldColumns} say; a field that goes nowhere is read
 * past without being copied.
 */
public final class CsvRecordReader implements RowReader {

    private static final int EOF = -1;

    // a small load reads into a small buffer; one whose reads fill it gets a bigger one, up to READ_BUFFER
    private static final int INITIAL_BUFFER = 8 * 1024;

    private static final int READ_BUFFER = 64 * 1024;

    private final InputStream in;

    private final CsvFormat format;

    private final LoadableTable table;

    private final FieldColumns fields;

    private final ReadLimits limits;

    private final int delimiter;

    private final int quote;

    /** Why the record just read is refused for characters after a closing quote, or null. */
    private String strayAfterQuote;

    private String strayColumn;

    private final byte[] nullBytes;

    private byte[] buffer = new byte[INITIAL_BUFFER];

    private int pos;

    private int limit;

    private boolean endOfInput;

    private long line = 1;

    private long record;

    private int[] fieldColumns;

    private String[] fieldNames;

    private Row capturing;

    private int rawStart;

    /** The most of the header row's text kept for {@link #headerLine()}. */
    private static final int HEADER_TEXT_LIMIT = 1 << 20;

    private String headerLine;

    public CsvRecordReader(InputStream in, CsvFormat format, LoadableTable table, ReadLimits limits) {
        this(in, format, table, FieldMapping.NONE.bind(table, limits.maxColumns()), limits);
    }

    /** A reader whose header fields go where {@code fields} say. */
    public CsvRecordReader(InputStream in, CsvFormat format, LoadableTable table, FieldColumns fields,
            ReadLimits limits) {
        this.in = in;
        this.format = format;
        this.table = table;
        this.fields = fields;
        this.limits = limits;
        this.delimiter = format.delimiter();
        this.quote = format.quote();
        this.nullBytes = format.nullBytes();
    }

    /**
     * The table columns of the fields, in field order (a field that loads into no column by its own name); known
     * after the first call to {@link #next}.
     */
    public List<String> columns() {
        return (this.fieldNames != null) ? List.of(this.fieldNames) : List.of();
    }

    @Override
    public boolean next(Row row) {
        if (this.fieldColumns == null) {
            skipByteOrderMark();
            mapColumns(this.format.header() ? readHeader() : configuredColumns(), this.format.header());
        }
        long number = this.record + 1;
        this.strayAfterQuote = null;
        int fields = parseRecord(row, number, this.fieldColumns, this.fieldColumns.length);
        if (fields < 0) {
            return false;
        }
        this.record = number;
        if (this.strayAfterQuote != null) {
            throw new MalformedRecordException(this.strayAfterQuote, number, row.line(), this.strayColumn);
        }
        if (fields != this.fieldColumns.length) {
            throw new MalformedRecordException(
                    "Record has " + fields + " fields but " + this.fieldColumns.length + " columns were named",
                    number, row.line(), (fields < this.fieldColumns.length) ? this.fieldNames[fields] : null);
        }
        checkUtf8(row, number);
        return true;
    }

    /**
     * The header row as received (its text after the byte-order mark, without its line break), once the first
     * call to {@link #next} has read it; null before, without a header row, or when it was longer than kept.
     */
    public String headerLine() {
        return this.headerLine;
    }

    private List<String> readHeader() {
        Row header = new Row(this.limits.maxColumns(), HEADER_TEXT_LIMIT);
        int fields = parseRecord(header, 0, null, this.limits.maxColumns());
        if (fields < 0) {
            throw new MalformedPayloadException("The CSV payload has no header row", null, 1L, null);
        }
        if (this.strayAfterQuote != null) {
            throw new MalformedPayloadException("Unexpected character after a closing quote in the header row", null,
                    header.line(), null);
        }
        int invalid = Utf8.firstInvalid(header.data(), 0, header.size());
        if (invalid >= 0) {
            throw new MalformedPayloadException("The header row is refused: " + Utf8.describe(header.data()[invalid]),
                    null, header.line(), null);
        }
        List<String> names = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            String name = header.isNull(i) ? "" : header.text(i);
            if (name.isEmpty()) {
                throw new MalformedPayloadException("Header field " + (i + 1) + " is empty", null, header.line(),
                        null);
            }
            names.add(name);
        }
        if (!header.rawTruncated()) {
            String text = header.rawText();
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            this.headerLine = text.substring(0, end);
        }
        return names;
    }

    private List<String> configuredColumns() {
        if (!this.format.columns().isEmpty()) {
            return this.format.columns();
        }
        return this.table.columns().stream().filter((c) -> !c.generated()).map(LoadableColumn::name).toList();
    }

    private void mapColumns(List<String> names, boolean fromHeader) {
        Long place = fromHeader ? 1L : null;
        if (names.size() > this.limits.maxColumns()) {
            throw new PayloadTooLargeException("More than " + this.limits.maxColumns() + " columns", null, place,
                    null);
        }
        int[] columns = this.fields.header(names, place);
        String[] resolved = new String[names.size()];
        for (int i = 0; i < names.size(); i++) {
            resolved[i] = (columns[i] >= 0) ? this.table.columns().get(columns[i]).name() : names.get(i);
        }
        this.fieldColumns = columns;
        this.fieldNames = resolved;
    }

    /** Parses one record into the row; returns the number of fields, or -1 at the end of input. */
    private int parseRecord(Row row, long number, int[] mapping, int maxFields) {
        if (!skipBlankLines()) {
            return -1;
        }
        row.reset(number, this.line);
        if (row.capturesRaw()) {
            this.capturing = row;
            this.rawStart = this.pos;
        }
        int field = 0;
        while (true) {
            if (field >= maxFields && mapping == null) {
                throw new PayloadTooLargeException("More than " + maxFields + " columns", null, row.line(), null);
            }
            // fields beyond the named columns are read into the last one, and the record is then refused
            int column = (mapping != null) ? mapping[Math.min(field, maxFields - 1)] : field;
            // a field that loads into no column is read past: a null row takes none of its bytes
            Row target = (column >= 0) ? row : null;
            if (target != null) {
                row.begin(column);
            }
            boolean quoted = peek() == this.quote;
            int terminator;
            if (quoted) {
                this.pos++;
                terminator = readQuoted(target, column, number);
            }
            else {
                terminator = readUnquoted(target, column, number);
            }
            if (target != null) {
                row.end();
                if (!quoted && matchesNull(row, column)) {
                    row.setNull(column);
                }
            }
            if (terminator != this.delimiter) {
                if (terminator == '\n') {
                    this.line++;
                }
                if (this.capturing != null) {
                    this.capturing.appendRaw(this.buffer, this.rawStart, this.pos - this.rawStart);
                    this.capturing = null;
                }
                return field + 1;
            }
            field++;
        }
    }

    private boolean skipBlankLines() {
        while (true) {
            int c = peek();
            if (c == EOF) {
                return false;
            }
            if (c == '\n') {
                this.pos++;
                this.line++;
            }
            else if (c == '\r') {
                this.pos++;
                if (peek() == '\n') {
                    this.pos++;
                }
                this.line++;
            }
            else {
                return true;
            }
        }
    }

    /** Reads an unquoted field into the row (or past it, when null); returns the delimiter, '\n' (also for CRLF) or EOF. */
    private int readUnquoted(Row row, int column, long number) {
        while (true) {
            if (this.pos == this.limit && !fill()) {
                return EOF;
            }
            // after fill(): it may have replaced the buffer
            byte[] b = this.buffer;
            int start = this.pos;
            int end = this.limit;
            int p = start;
            int d = this.delimiter;
            while (p < end) {
                byte x = b[p];
                if (x == d || x == '\n' || x == '\r') {
                    break;
                }
                p++;
            }
            this.pos = p;
            if (row != null) {
                row.append(b, start, p - start);
                checkFieldSize(row, column, number);
            }
            if (p < end) {
                int x = b[this.pos++];
                if (x != '\r') {
                    return x;
                }
                int next = peek();
                if (next == '\n') {
                    this.pos++;
                    return '\n';
                }
                if (next == EOF) {
                    return EOF;
                }
                if (row != null) {
                    row.append((byte) '\r');
                }
            }
        }
    }

    /** Reads a quoted field (or past it, when the row is null) after its opening quote; returns what follows the closing quote. */
    private int readQuoted(Row row, int column, long number) {
        long startLine = this.line;
        int q = this.quote;
        while (true) {
            if (this.pos == this.limit && !fill()) {
                throw new MalformedPayloadException(
                        "Quoted field starting on line " + startLine + " is not terminated", number(number),
                        startLine, columnName(column));
            }
            // after fill(): it may have replaced the buffer
            byte[] b = this.buffer;
            int start = this.pos;
            int end = this.limit;
            int p = start;
            while (p < end && b[p] != q) {
                if (b[p] == '\n') {
                    this.line++;
                }
                p++;
            }
            this.pos = p;
            if (row != null) {
                row.append(b, start, p - start);
                checkFieldSize(row, column, number);
            }
            if (p < end) {
                this.pos++;
                int next = peek();
                if (next == q) {
                    this.pos++;
                    if (row != null) {
                        row.append((byte) q);
                    }
                    continue;
                }
                if (next == EOF || next == this.delimiter || next == '\n') {
                    if (next != EOF) {
                        this.pos++;
                    }
                    return next;
                }
                if (next == '\r') {
                    this.pos++;
                    int after = peek();
                    if (after == '\n' || after == EOF) {
                        if (after == '\n') {
                            this.pos++;
                        }
                        return (after == '\n') ? '\n' : EOF;
                    }
                }
                // the record is refused, and the reader goes on at the next line: the characters up to its end
                // belong to this record (a quoted line break after them would end the resynchronisation early,
                // and the next record's field count refuses what is left)
                String field = (columnName(column) != null) ? "field " + columnName(column) : "a field";
                this.strayAfterQuote = "Unexpected character after a closing quote in " + field
                        + ": quote the whole field and double the quotes inside it (\"a\"\"b\"); the record is "
                        + "refused";
                this.strayColumn = columnName(column);
                return skipToLineEnd();
            }
        }
    }

    /** Reads past the rest of the physical line; returns '\n' (also for CRLF) or EOF. */
    private int skipToLineEnd() {
        while (true) {
            int c = peek();
            if (c == EOF) {
                return EOF;
            }
            this.pos++;
            if (c == '\n') {
                return '\n';
            }
        }
    }

    private boolean matchesNull(Row row, int column) {
        int length = row.length(column);
        return length == this.nullBytes.length
                && Arrays.equals(row.data(), row.start(column), row.start(column) + length, this.nullBytes, 0, length);
    }

    private void checkFieldSize(Row row, int column, long number) {
        if (row.size() > this.limits.maxRecordBytes()) {
            throw new PayloadTooLargeException("Record is larger than " + this.limits.maxRecordBytes() + " bytes",
                    number(number), row.line(), columnName(column));
        }
        if (row.openLength() > this.limits.maxFieldBytes()) {
            throw new PayloadTooLargeException("Field is larger than " + this.limits.maxFieldBytes() + " bytes",
                    number(number), row.line(), columnName(column));
        }
    }

    private void checkUtf8(Row row, long number) {
        // value by value: a sequence cut short at a delimiter is not completed by the next value's first bytes
        int invalid = -1;
        String column = null;
        for (int i = 0; i < this.fieldColumns.length && invalid < 0; i++) {
            int c = this.fieldColumns[i];
            if (c >= 0 && row.isPresent(c) && !row.isNull(c)) {
                invalid = Utf8.firstInvalid(row.data(), row.start(c), row.length(c));
                column = this.fieldNames[i];
            }
        }
        if (invalid < 0) {
            return;
        }
        throw new MalformedRecordException(Utf8.describe(row.data()[invalid]), number, row.line(), column);
    }

    private String columnName(int column) {
        return (this.fieldColumns != null && column >= 0) ? this.table.columns().get(column).name() : null;
    }

    private static Long number(long number) {
        return (number > 0) ? number : null;
    }

    private void skipByteOrderMark() {
        if (peek() == 0xEF && this.limit - this.pos >= 3 && (this.buffer[this.pos + 1] & 0xFF) == 0xBB
                && (this.buffer[this.pos + 2] & 0xFF) == 0xBF) {
            this.pos += 3;
        }
    }

    private int peek() {
        if (this.pos == this.limit && !fill()) {
            return EOF;
        }
        return this.buffer[this.pos] & 0xFF;
    }

    private boolean fill() {
        if (this.endOfInput) {
            return false;
        }
        if (this.capturing != null) {
            this.capturing.appendRaw(this.buffer, this.rawStart, this.limit - this.rawStart);
            this.rawStart = 0;
        }
        if (this.limit == this.buffer.length && this.buffer.length < READ_BUFFER) {
            // the last read filled the buffer: the payload is bigger than it
            this.buffer = new byte[this.buffer.length * 2];
        }
        try {
            // what has arrived, not a full buffer: rows of a client that sends slowly are written (and their
            // progress seen) as they come
            int n;
            do {
                n = this.in.read(this.buffer, 0, this.buffer.length);
            }
            while (n == 0);
            if (n < 0) {
                this.endOfInput = true;
                return false;
            }
            this.pos = 0;
            this.limit = n;
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        this.in.close();
    }
}
