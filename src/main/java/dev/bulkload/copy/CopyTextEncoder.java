package dev.bulkload.copy;

import dev.bulkload.row.Row;

/**
 * Encodes rows in COPY's text format into a byte buffer: tab-separated, {@code \N} for NULL, and
 * backslash, tab, newline and carriage return escaped.
 */
final class CopyTextEncoder {

    private final int[] columns;

    private byte[] buffer;

    private int size;

    private final boolean withRecord;

    CopyTextEncoder(boolean[] present, boolean withRecord, int capacity) {
        this.withRecord = withRecord;
        int count = 0;
        for (boolean p : present) {
            count += p ? 1 : 0;
        }
        this.columns = new int[count];
        int j = 0;
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                this.columns[j++] = i;
            }
        }
        this.buffer = new byte[capacity];
    }

    void encode(Row row) {
        byte[] data = row.data();
        if (this.withRecord) {
            byte[] digits = Long.toString(row.record()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ensure(digits.length);
            System.arraycopy(digits, 0, this.buffer, this.size, digits.length);
            this.size += digits.length;
        }
        for (int k = 0; k < this.columns.length; k++) {
            int c = this.columns[k];
            int length = row.length(c);
            // worst case every byte escaped, plus separator and \N
            ensure(2 * Math.max(length, 0) + 3);
            byte[] out = this.buffer;
            int pos = this.size;
            if (k > 0 || this.withRecord) {
                out[pos++] = '\t';
            }
            if (length < 0) {
                out[pos++] = '\\';
                out[pos++] = 'N';
            }
            else {
                int end = row.start(c) + length;
                for (int i = row.start(c); i < end; i++) {
                    byte b = data[i];
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
        this.buffer[this.size++] = '\n';
    }

    byte[] buffer() {
        return this.buffer;
    }

    int size() {
        return this.size;
    }

    void clear() {
        this.size = 0;
    }

    private void ensure(int extra) {
        if (this.size + extra > this.buffer.length) {
            this.buffer = java.util.Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.size + extra));
        }
    }
}
