package dev.bulkload.row;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One record of a payload, reused from record to record: a slot per table column holding the
 * value's UTF-8 bytes, SQL NULL, or nothing (the column is absent from this record).
 * Readers fill it, writers encode it; nothing is allocated per record once the buffers have grown.
 */
public final class Row {

    private static final int ABSENT = -2;

    private static final int NULL = -1;

    private final int columnCount;

    private final int[] starts;

    private final int[] lengths;

    private byte[] data = new byte[1024];

    private int size;

    private long record;

    private long line;

    private int openColumn = -1;

    private final int rawLimit;

    private byte[] raw = new byte[0];

    private int rawLength;

    private boolean rawTruncated;

    public Row(int columnCount) {
        this(columnCount, 0);
    }

    /**
     * A row that also keeps the first {@code rawLimit} bytes of each record's original text, for
     * reporting rejected rows; 0 keeps none.
     */
    public Row(int columnCount, int rawLimit) {
        this.rawLimit = rawLimit;
        this.columnCount = columnCount;
        this.starts = new int[columnCount];
        this.lengths = new int[columnCount];
        Arrays.fill(this.lengths, ABSENT);
    }

    /** Empties the row for the record with the given 1-based number, starting at the given 1-based line. */
    public void reset(long record, long line) {
        Arrays.fill(this.lengths, ABSENT);
        this.size = 0;
        this.record = record;
        this.line = line;
        this.openColumn = -1;
        this.rawLength = 0;
        this.rawTruncated = false;
    }

    /** Whether readers should hand over the record's original text. */
    public boolean capturesRaw() {
        return this.rawLimit > 0;
    }

    /** Appends original text of the record; what passes the raw limit is dropped and marked truncated. */
    public void appendRaw(byte[] source, int offset, int length) {
        int room = this.rawLimit - this.rawLength;
        if (length > room) {
            this.rawTruncated = true;
        }
        int take = Math.min(room, length);
        if (take <= 0) {
            return;
        }
        if (this.raw.length < this.rawLength + take) {
            this.raw = Arrays.copyOf(this.raw, Math.min(this.rawLimit, Math.max(this.raw.length * 2, this.rawLength + take)));
        }
        System.arraycopy(source, offset, this.raw, this.rawLength, take);
        this.rawLength += take;
    }

    /** The record's original text (invalid UTF-8 shown as U+FFFD, "…" when truncated), or null when not kept. */
    public String rawText() {
        if (this.rawLimit == 0) {
            return null;
        }
        String text = new String(this.raw, 0, this.rawLength, StandardCharsets.UTF_8);
        return this.rawTruncated ? text + "\u2026" : text;
    }

    /** The kept original text's bytes: {@code raw()[0 .. rawLength())}. */
    public byte[] raw() {
        return this.raw;
    }

    public int rawLength() {
        return this.rawLength;
    }

    /** Whether original text past the raw limit was dropped. */
    public boolean rawTruncated() {
        return this.rawTruncated;
    }

    /**
     * Whether the kept original text is not the record as received: cut at the raw limit, or holding bytes that are
     * not UTF-8 text (or NUL), which {@link #rawText()} shows as U+FFFD. Such a record cannot be sent again as it is.
     */
    public boolean rawAltered() {
        return this.rawTruncated || (this.rawLimit > 0 && Utf8.firstInvalid(this.raw, 0, this.rawLength) >= 0);
    }

    public long record() {
        return this.record;
    }

    public long line() {
        return this.line;
    }

    public int columnCount() {
        return this.columnCount;
    }

    public boolean isPresent(int column) {
        return this.lengths[column] != ABSENT;
    }

    public boolean isNull(int column) {
        return this.lengths[column] == NULL;
    }

    /** Marks the column as SQL NULL. */
    public void setNull(int column) {
        this.lengths[column] = NULL;
    }

    /** Sets the column to a copy of the given UTF-8 bytes. */
    public void set(int column, byte[] source, int offset, int length) {
        begin(column);
        append(source, offset, length);
        end();
    }

    /** Starts a value that is then given piecewise with {@link #append} and closed by {@link #end}. */
    public void begin(int column) {
        this.openColumn = column;
        this.starts[column] = this.size;
    }

    public void append(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, this.data, this.size, length);
        this.size += length;
    }

    public void append(byte b) {
        ensure(1);
        this.data[this.size++] = b;
    }

    /**
     * Appends characters encoded as UTF-8.
     * @return false, with the value's content undefined, when a surrogate has no other half: it has no UTF-8 form,
     *     and the caller refuses the record
     */
    public boolean appendChars(char[] chars, int offset, int length) {
        ensure(length * 3);
        int end = Utf8.encode(chars, offset, length, this.data, this.size);
        if (end < 0) {
            return false;
        }
        this.size = end;
        return true;
    }

    /** Length in bytes of the value being built since {@link #begin}. */
    public int openLength() {
        return this.size - this.starts[this.openColumn];
    }

    public void end() {
        this.lengths[this.openColumn] = this.size - this.starts[this.openColumn];
        this.openColumn = -1;
    }

    /** The backing array; a present, non-null value is {@code data()[start(c) .. start(c) + length(c))}. */
    public byte[] data() {
        return this.data;
    }

    public int start(int column) {
        return this.starts[column];
    }

    public int length(int column) {
        return this.lengths[column];
    }

    /** Total bytes of all values, a measure for chunking by size. */
    public int size() {
        return this.size;
    }

    /** The value as a string, or null for SQL NULL or an absent column. */
    public String text(int column) {
        int length = this.lengths[column];
        return (length < 0) ? null : new String(this.data, this.starts[column], length, StandardCharsets.UTF_8);
    }

    /** Whether this row has exactly the given columns present. */
    public boolean hasColumns(boolean[] columns) {
        for (int i = 0; i < this.columnCount; i++) {
            if (columns[i] != isPresent(i)) {
                return false;
            }
        }
        return true;
    }

    /** The columns present in this row, one flag per table column. */
    public boolean[] presentColumns() {
        boolean[] present = new boolean[this.columnCount];
        for (int i = 0; i < this.columnCount; i++) {
            present[i] = isPresent(i);
        }
        return present;
    }

    private void ensure(int extra) {
        if (this.size + extra > this.data.length) {
            long wanted = Math.max((long) this.data.length * 2, (long) this.size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("Row larger than 2 GiB");
            }
            this.data = Arrays.copyOf(this.data, (int) wanted);
        }
    }
}
