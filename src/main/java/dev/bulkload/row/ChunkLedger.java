package dev.bulkload.row;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The rows of one chunk, kept once so any range can be sent again: each row's record number, first
 * line, column set, its values encoded in COPY's text format (tab-separated, {@code \N} for NULL,
 * backslash escapes), and, when rejects are reported, its original text. {@link #bytes} counts all
 * of it, so bounding a chunk by bytes bounds the memory a load holds.
 */
public final class ChunkLedger {

    /** Bookkeeping bytes per row (record, line, offsets, set), counted in {@link #bytes}. */
    static final int ROW_OVERHEAD = 40;

    private static final byte[] ELLIPSIS = "\u2026".getBytes(StandardCharsets.UTF_8);

    private final boolean keepRaw;

    private long[] records = new long[64];

    private long[] lines = new long[64];

    private int[] ends = new int[64];

    private int[] sets = new int[64];

    private int[] rawEnds;

    private boolean[] rawTruncated;

    private byte[] data = new byte[4096];

    private int size;

    private byte[] raw;

    private int rawSize;

    private int rows;

    /**
     * @param keepRaw whether to keep each record's original text (as the reader captured it) for rejects
     */
    public ChunkLedger(boolean keepRaw) {
        this.keepRaw = keepRaw;
        this.rawEnds = keepRaw ? new int[64] : null;
        this.rawTruncated = keepRaw ? new boolean[64] : null;
        this.raw = keepRaw ? new byte[1024] : null;
    }

    /** Empties the ledger for the next chunk; its buffers are kept. */
    public void clear() {
        this.rows = 0;
        this.size = 0;
        this.rawSize = 0;
    }

    /** Appends the row's present columns (those of its set) in COPY text format. */
    public void add(Row row, ColumnSet set) {
        if (this.rows == this.records.length) {
            grow();
        }
        byte[] values = row.data();
        for (int k = 0; k < set.indexes().length; k++) {
            int column = set.indexes()[k];
            int length = row.length(column);
            ensure(2 * Math.max(length, 0) + 3);
            byte[] out = this.data;
            int pos = this.size;
            if (k > 0) {
                out[pos++] = '\t';
            }
            if (length < 0) {
                out[pos++] = '\\';
                out[pos++] = 'N';
            }
            else {
                int end = row.start(column) + length;
                for (int i = row.start(column); i < end; i++) {
                    byte b = values[i];
                    switch (b) {
                        case '\\' -> {
                            out[pos++] = '\\';
                            out[pos++] = '\\';
                        }
                        case '\t' -> {
                            out[pos++] = '\\';
                            out[pos++] = 't';
                        }
                        case '\n' -> {
                            out[pos++] = '\\';
                            out[pos++] = 'n';
                        }
                        case '\r' -> {
                            out[pos++] = '\\';
                            out[pos++] = 'r';
                        }
                        default -> out[pos++] = b;
                    }
                }
            }
            this.size = pos;
        }
        ensure(1);
        this.data[this.size++] = '\n';
        this.records[this.rows] = row.record();
        this.lines[this.rows] = row.line();
        this.sets[this.rows] = set.id();
        this.ends[this.rows] = this.size;
        if (this.keepRaw) {
            int length = row.rawLength() + (row.rawTruncated() ? ELLIPSIS.length : 0);
            if (this.rawSize + length > this.raw.length) {
                this.raw = Arrays.copyOf(this.raw, Math.max(this.raw.length * 2, this.rawSize + length));
            }
            System.arraycopy(row.raw(), 0, this.raw, this.rawSize, row.rawLength());
            this.rawSize += row.rawLength();
            if (row.rawTruncated()) {
                System.arraycopy(ELLIPSIS, 0, this.raw, this.rawSize, ELLIPSIS.length);
                this.rawSize += ELLIPSIS.length;
            }
            this.rawEnds[this.rows] = this.rawSize;
            this.rawTruncated[this.rows] = row.rawTruncated();
        }
        this.rows++;
    }

    /** Rows in the chunk. */
    public int rows() {
        return this.rows;
    }

    public long record(int row) {
        return this.records[row];
    }

    public long line(int row) {
        return this.lines[row];
    }

    /** The id of the row's {@link ColumnSet}. */
    public int set(int row) {
        return this.sets[row];
    }

    /** The encoded rows: row {@code i} is {@code data()[start(i) .. end(i))}, its newline included. */
    public byte[] data() {
        return this.data;
    }

    public int start(int row) {
        return (row == 0) ? 0 : this.ends[row - 1];
    }

    public int end(int row) {
        return this.ends[row];
    }

    /** The row's original text, or null when not kept. */
    public String raw(int row) {
        if (!this.keepRaw) {
            return null;
        }
        int start = (row == 0) ? 0 : this.rawEnds[row - 1];
        return new String(this.raw, start, this.rawEnds[row] - start, StandardCharsets.UTF_8);
    }

    /** The row's values decoded from the COPY text, null for NULL, in the order of its set's columns. */
    public String[] values(int row, int columns) {
        String[] values = new String[columns];
        byte[] text = new byte[end(row) - start(row)];
        int field = 0;
        int length = 0;
        boolean isNull = false;
        for (int i = start(row); i < end(row); i++) {
            byte b = this.data[i];
            if (b == '\t' || b == '\n') {
                values[field++] = isNull ? null : new String(text, 0, length, StandardCharsets.UTF_8);
                length = 0;
                isNull = false;
            }
            else if (b == '\\') {
                byte next = this.data[++i];
                switch (next) {
                    case 'N' -> isNull = true;
                    case 't' -> text[length++] = '\t';
                    case 'n' -> text[length++] = '\n';
                    case 'r' -> text[length++] = '\r';
                    default -> text[length++] = next;
                }
            }
            else {
                text[length++] = b;
            }
        }
        return values;
    }

    /** The index of the row with this record number, or -1. */
    public int indexOf(long record) {
        int index = Arrays.binarySearch(this.records, 0, this.rows, record);
        return (index >= 0) ? index : -1;
    }

    /** Memory held for the chunk's rows: encoded values, original text and bookkeeping. */
    public long bytes() {
        return (long) this.size + this.rawSize + (long) this.rows * ROW_OVERHEAD;
    }

    /** A refusal of the row, with its record, line and original text from the ledger. */
    public Reject reject(int row, String column, String sqlState, String constraint, String message) {
        return new Reject(this.records[row], this.lines[row], column, sqlState, constraint, message, raw(row),
                this.keepRaw && this.rawTruncated[row]);
    }

    private void grow() {
        int capacity = this.records.length * 2;
        this.records = Arrays.copyOf(this.records, capacity);
        this.lines = Arrays.copyOf(this.lines, capacity);
        this.ends = Arrays.copyOf(this.ends, capacity);
        this.sets = Arrays.copyOf(this.sets, capacity);
        if (this.keepRaw) {
            this.rawEnds = Arrays.copyOf(this.rawEnds, capacity);
            this.rawTruncated = Arrays.copyOf(this.rawTruncated, capacity);
        }
    }

    private void ensure(int extra) {
        if (this.size + extra > this.data.length) {
            long wanted = Math.max((long) this.data.length * 2, (long) this.size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new PayloadTooLargeException("A chunk larger than 2 GiB");
            }
            this.data = Arrays.copyOf(this.data, (int) wanted);
        }
    }
}
