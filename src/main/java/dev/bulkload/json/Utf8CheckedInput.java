package dev.bulkload.json;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body as a streaming JSON parser reads it, checked on the way through: each byte the service refuses as text
 * is replaced and marked in {@link InvalidBytes}. A multi-byte sequence that a read cuts in two is held back until
 * the next read completes it (or the body ends inside it, and it is refused).
 */
final class Utf8CheckedInput extends InputStream {

    private static final int BUFFER = 8 * 1024;

    private final InputStream in;

    private final InvalidBytes invalid;

    private final byte[] buffer = new byte[BUFFER];

    /** The offset in the body of {@code buffer[0]}. */
    private long bufferOffset;

    /** The next byte to hand out. */
    private int pos;

    /** The end of the checked bytes; after it, up to {@code limit}, a cut-off sequence waits for the next read. */
    private int checked;

    private int limit;

    private boolean endOfInput;

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
        while (this.pos == this.checked) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, this.checked - this.pos);
        System.arraycopy(this.buffer, this.pos, b, off, n);
        this.pos += n;
        return n;
    }

    /** Reads and checks more bytes behind a held-back sequence; false at the end of the body. */
    private boolean fill() throws IOException {
        int held = this.limit - this.checked;
        if (this.endOfInput) {
            if (held == 0) {
                return false;
            }
            // the body ends inside a sequence: refused
            this.checked = this.invalid.replace(this.buffer, this.checked, this.limit, this.bufferOffset, false);
            return true;
        }
        System.arraycopy(this.buffer, this.checked, this.buffer, 0, held);
        this.bufferOffset += this.checked;
        this.pos = 0;
        this.checked = 0;
        this.limit = held;
        int n = this.in.read(this.buffer, held, this.buffer.length - held);
        if (n < 0) {
            this.endOfInput = true;
            return true;
        }
        this.limit += n;
        this.checked = this.invalid.replace(this.buffer, 0, this.limit, this.bufferOffset, true);
        return true;
    }

    @Override
    public void close() throws IOException {
        this.in.close();
    }
}
