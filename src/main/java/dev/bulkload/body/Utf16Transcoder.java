package dev.bulkload.body;

import java.io.InputStream;

/**
 * A UTF-16 payload read as UTF-8. Its byte order is the charset's (UTF-16LE, UTF-16BE) or, for UTF-16, its
 * byte-order mark's, big endian without one (RFC 2781); a byte-order mark at the start is skipped in every case. A
 * surrogate without its pair and an odd last byte are invalid.
 */
final class Utf16Transcoder extends Utf8Transcoder {

    private final boolean detect;

    private boolean bigEndian;

    private boolean started;

    Utf16Transcoder(InputStream in, PayloadCharset charset) {
        super(in);
        this.detect = charset == PayloadCharset.UTF_16;
        this.bigEndian = charset != PayloadCharset.UTF_16LE;
    }

    @Override
    int transcode(byte[] out, int from, int to, boolean ended) {
        byte[] in = this.input;
        int p = this.pos;
        int limit = this.limit;
        int o = from;
        while (limit - p >= 2) {
            int unit = unit(in, p);
            if (!this.started) {
                this.started = true;
                if (unit == 0xFEFF) {
                    p += 2;
                    continue;
                }
                if (this.detect && unit == 0xFFFE) {
                    // a byte-order mark read in the other order
                    this.bigEndian = !this.bigEndian;
                    p += 2;
                    continue;
                }
            }
            if (unit < 0x800) {
                if (o + ((unit < 0x80) ? 1 : 2) > to) {
                    break;
                }
                o = encode(unit, out, o);
                p += 2;
            }
            else if (unit < 0xD800 || unit > 0xDFFF) {
                if (o + 3 > to) {
                    break;
                }
                o = encode(unit, out, o);
                p += 2;
            }
            else if (unit <= 0xDBFF && limit - p >= 4 && isLowSurrogate(unit(in, p + 2))) {
                if (o + 4 > to) {
                    break;
                }
                int c = 0x10000 + ((unit - 0xD800) << 10) + (unit(in, p + 2) - 0xDC00);
                out[o++] = (byte) (0xF0 | (c >> 18));
                out[o++] = (byte) (0x80 | ((c >> 12) & 0x3F));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (c & 0x3F));
                p += 4;
            }
            else if (unit <= 0xDBFF && limit - p < 4 && !ended) {
                // the low surrogate may still come
                break;
            }
            else {
                if (o == to) {
                    break;
                }
                out[o++] = INVALID;
                p += 2;
            }
        }
        if (ended && limit - p == 1 && o < to) {
            out[o++] = INVALID;
            p++;
        }
        this.pos = p;
        return o - from;
    }

    private int unit(byte[] in, int p) {
        int first = in[p] & 0xFF;
        int second = in[p + 1] & 0xFF;
        return this.bigEndian ? (first << 8) | second : (second << 8) | first;
    }

    private static boolean isLowSurrogate(int unit) {
        return unit >= 0xDC00 && unit <= 0xDFFF;
    }
}
