package dev.bulkload.json;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body as a streaming JSON parser reads it, checked on the way through in the parser's own buffer: what it must
 * not be given is replaced and marked in {@link InvalidBytes}. A multi-byte sequence or an escape that a read cuts
 * in two is held back until the next read completes it (or the body ends inside it, and it is refused).
 */
final class Utf8CheckedInput extends InputStream {

    /** Reads asking for less than this go through a small buffer of checked bytes (Jackson asks for thousands). */
    private static final int SMALL = 64;

    private final InputStream in;

    private final InvalidBytes invalid;

    /** Bytes read but not handed out: a cut-off sequence or escape, at most 12 bytes. */
    private final byte[] held = new byte[16];

    private int heldLength;

    /** The offset in the body of the next byte handed out. */
    private long offset;

    private boolean endOfInput;

    private final byte[] small = new byte[SMALL];

    private int smallPos;

    private int smallLimit;

    Utf8CheckedInput(InputStream in, InvalidBytes invalid) {
        this.in = in;
        this.invalid = invalid;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (this.smallPos == this.smallLimit && len < SMALL) {
            int n = readChecked(this.small, 0, SMALL);
            if (n < 0) {
                return -1;
            }
            this.smallPos = 0;
            this.smallLimit = n;
        }
        if (this.smallPos < this.smallLimit) {
            int n = Math.min(len, this.smallLimit - this.smallPos);
            System.arraycopy(this.small, this.smallPos, b, off, n);
            this.smallPos += n;
            return n;
        }
        return readChecked(b, off, len);
    }

    /** Reads at least one checked byte into {@code b[off, off + len)}, {@code len} above the bytes held back. */
    private int readChecked(byte[] b, int off, int len) throws IOException {
        while (true) {
            int held = this.heldLength;
            System.arraycopy(this.held, 0, b, off, held);
            int end = off + held;
            boolean more = !this.endOfInput;
            if (more) {
                int n = this.in.read(b, end, len - held);
                if (n < 0) {
                    this.endOfInput = true;
                    more = false;
                }
                else {
                    end += n;
                }
            }
            if (end == off) {
                if (!more) {
                    return -1;
                }
                continue;
            }
            int checked = this.invalid.replace(b, off, end, this.offset - off, more);
            this.heldLength = end - checked;
            System.arraycopy(b, checked, this.held, 0, this.heldLength);
            int delivered = checked - off;
            if (delivered > 0) {
                this.offset += delivered;
                return delivered;
            }
        }
    }

    @Override
    public void close() throws IOException {
        this.in.close();
    }
}
