package dev.bulkload.csv;

/** Validates UTF-8 byte sequences (no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte of the first invalid sequence, or -1 when all is valid. */
    static int firstInvalid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int needed;
            int min;
            int cp;
            if ((b & 0xE0) == 0xC0) {
                needed = 1;
                min = 0x80;
                cp = b & 0x1F;
            }
            else if ((b & 0xF0) == 0xE0) {
                needed = 2;
                min = 0x800;
                cp = b & 0x0F;
            }
            else if ((b & 0xF8) == 0xF0) {
                needed = 3;
                min = 0x10000;
                cp = b & 0x07;
            }
            else {
                return i;
            }
            if (i + needed >= end) {
                return i;
            }
            for (int k = 1; k <= needed; k++) {
                int c = bytes[i + k];
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += needed + 1;
        }
        return -1;
    }
}
