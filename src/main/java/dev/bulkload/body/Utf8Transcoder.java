package dev.bulkload.body;

import java.io.IOException;
import java.io.InputStream;

/**
 * A payload in another charset, read as UTF-8: each read transcodes what has arrived straight into the caller's
 * buffer, whole characters only. A sequence that is not valid in the charset becomes {@link #INVALID}, a byte
 * that is never valid UTF-8, so the UTF-8 reader above refuses the record holding it by its record and line (and
 * shows it as U+FFFD in the record's raw text); line breaks stay where they were, so lines are those of the
 * original text.
 */
abstract class Utf8Transcoder extends InputStream {

    /** Never valid in UTF-8, at any position. */
    static final byte INVALID = (byte) 0xFF;

    /** The most UTF-8 bytes one step of {@link #transcode} writes: a character outside the BMP. */
    private static final int MAX_STEP = 4;

    private final InputStream in;

    /** Bytes read from the payload and not transcoded yet, from {@link #pos} to {@link #limit}. */
    final byte[] input = new byte[16 * 1024];

    int pos;

    int limit;

    private boolean ended;

    /** For a read shorter than one character's UTF-8: what did not fit. */
    private final byte[] spill = new byte[MAX_STEP];

    private int spillPos;

    private int spillLimit;

    Utf8Transcoder(InputStream in) {
        this.in = in;
    }

    /**
     * Transcodes from {@code input[pos, limit)} into {@code out[from, to)}, whole characters only, and advances
     * {@link #pos}. Returns the bytes written; 0 when what is left is only part of a character (or a byte-order
     * mark). At the end of the payload ({@code ended}) a part of a character left over is invalid.
     */
    abstract int transcode(byte[] out, int from, int to, boolean ended);

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return (n < 0) ? -1 : (one[0] & 0xFF);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (this.spillPos == this.spillLimit && len < MAX_STEP) {
            int n = next(this.spill, 0, MAX_STEP);
            if (n < 0) {
                return -1;
            }
            this.spillPos = 0;
            this.spillLimit = n;
        }
        if (this.spillPos < this.spillLimit) {
            int n = Math.min(len, this.spillLimit - this.spillPos);
            System.arraycopy(this.spill, this.spillPos, b, off, n);
            this.spillPos += n;
            return n;
        }
        return next(b, off, off + len);
    }

    /** Transcodes into {@code out[from, to)} what has arrived, reading when nothing whole has. */
    private int next(byte[] out, int from, int to) throws IOException {
        while (true) {
            int n = transcode(out, from, to, this.ended);
            if (n > 0) {
                return n;
            }
            if (this.ended) {
                return -1;
            }
            refill();
        }
    }

    private void refill() throws IOException {
        int left = this.limit - this.pos;
        System.arraycopy(this.input, this.pos, this.input, 0, left);
        this.pos = 0;
        this.limit = left;
        int n;
        do {
            n = this.in.read(this.input, left, this.input.length - left);
        }
        while (n == 0);
        if (n < 0) {
            this.ended = true;
        }
        else {
            this.limit += n;
        }
    }

    /** Writes a code point below U+10000 as UTF-8 at {@code o}; returns the position after it. */
    static int encode(int c, byte[] out, int o) {
        if (c < 0x80) {
            out[o] = (byte) c;
            return o + 1;
        }
        if (c < 0x800) {
            out[o] = (byte) (0xC0 | (c >> 6));
            out[o + 1] = (byte) (0x80 | (c & 0x3F));
            return o + 2;
        }
        out[o] = (byte) (0xE0 | (c >> 12));
        out[o + 1] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[o + 2] = (byte) (0x80 | (c & 0x3F));
        return o + 3;
    }

    @Override
    public void close() throws IOException {
        this.in.close();
    }
}
