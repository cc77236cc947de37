package dev.bulkload.row;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What text every reader accepts, in one place: well-formed UTF-8 (RFC 3629, Unicode's table 3-7: no overlong
 * form, no surrogate code point, nothing above U+10FFFF, no byte that can never occur, no cut-off sequence), and
 * never U+0000, which no PostgreSQL text can hold. Bytes are checked as read; characters a JSON parser decoded from
 * escapes are checked the same way (no unpaired surrogate, no U+0000). Nothing is ever replaced or decoded into a
 * different character: a value that fails is refused.
 */
public final class Utf8 {

    /** Eight bytes at a time: a run of ASCII is checked a word per step. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;

    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * The index of the first byte in the range that does not begin a well-formed sequence ending inside the range,
     * or that is NUL; -1 when every byte is valid.
     */
    public static int firstInvalid(byte[] bytes, int offset, int length) {
        return scan(bytes, offset, length, (byte) 0);
    }

    /**
     * {@link #firstInvalid(byte[], int, int)}, stopping also at the first {@code stop} byte (an ASCII byte that
     * starts something the caller checks itself, as JSON's backslash starts an escape).
     */
    public static int firstInvalidOr(byte[] bytes, int offset, int length, byte stop) {
        return scan(bytes, offset, length, stop);
    }

    private static int scan(byte[] bytes, int offset, int length, byte stop) {
        long stops = (stop & 0xFFL) * ONES;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            // A byte of ASCII other than NUL (and stop) has no high bit set, and does not borrow when 1 is taken
            // from it (or from it xor stop): the lowest byte flagged is the first that needs a look (a borrow
            // only flags bytes above it), so the scan goes straight there.
            while (i + 8 <= end) {
                long word = (long) LONGS.get(bytes, i);
                long flagged = (word | (word - ONES) | ((word ^ stops) - ONES)) & HIGH_BITS;
                if (flagged != 0) {
                    i += Long.numberOfTrailingZeros(flagged) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i == end) {
                break;
            }
            byte b = bytes[i];
            if (b > 0 && b != stop) {
                i++;
                continue;
            }
            if (b == stop) {
                return i;
            }
            int sequence = sequence(bytes, i, end);
            if (sequence <= 0) {
                return i;
            }
            i += sequence;
        }
        return -1;
    }

    /**
     * Whether the bytes from {@code index} to {@code end} begin a well-formed sequence that the next bytes of the
     * stream may complete: a reader that has more to read keeps them for then instead of refusing them.
     */
    public static boolean isCutOff(byte[] bytes, int index, int end) {
        return index < end && sequence(bytes, index, end) < 0;
    }

    /**
     * The length of the well-formed sequence at {@code index} (1 to 4); 0 when the byte is NUL or begins none;
     * minus the number of bytes there are when the range ends inside one that is well-formed so far.
     */
    public static int sequence(byte[] bytes, int index, int end) {
        int lead = bytes[index] & 0xFF;
        if (lead < 0x80) {
            return (lead == 0) ? 0 : 1;
        }
        int length;
        // the range the second byte must fall in (table 3-7); every later byte is 80..BF
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        }
        else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                low = 0xA0;
            }
            else if (lead == 0xED) {
                high = 0x9F;
            }
        }
        else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                low = 0x90;
            }
            else if (lead == 0xF4) {
                high = 0x8F;
            }
        }
        else {
            return 0;
        }
        for (int k = 1; k < length; k++) {
            if (index + k >= end) {
                return -k;
            }
            int next = bytes[index + k] & 0xFF;
            if (next < low || next > high) {
                return 0;
            }
            low = 0x80;
            high = 0xBF;
        }
        return length;
    }

    /** Why the byte that {@link #firstInvalid(byte[], int, int)} found is refused, in the service's words. */
    public static String describe(byte invalid) {
        return (invalid == 0) ? "NUL byte (0x00): PostgreSQL text cannot hold U+0000"
                : "Invalid UTF-8 byte sequence (byte 0x%02X)".formatted(invalid & 0xFF);
    }

    /** The index of the first character that is U+0000 or half of a surrogate pair without its other half, or -1. */
    public static int firstInvalid(char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == end || !Character.isLowSurrogate(chars[i + 1])) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** Why a character that {@link #firstInvalid(char[], int, int)} found is refused, in the service's words. */
    public static String describe(char invalid) {
        if (invalid == 0) {
            return "\\u0000 (U+0000): PostgreSQL text cannot hold it";
        }
        return (Character.isHighSurrogate(invalid) ? "High surrogate \\u%04X not followed by a low surrogate"
                : "Low surrogate \\u%04X without a high surrogate before it").formatted((int) invalid);
    }

    /**
     * Encodes characters as UTF-8 into {@code out} from {@code position}, which must have room for three bytes a
     * character. Readers keep U+0000 from reaching here (a JSON reader refuses its escape before the parser reads
     * it); an unpaired surrogate cannot be encoded at all.
     * @return the position after the last byte written, or -1 when a surrogate has no other half (what was
     *     written is then meaningless)
     */
    static int encode(char[] chars, int offset, int length, byte[] out, int position) {
        int pos = position;
        int end = offset + length;
        boolean unpaired = false;
        // one loop without an early exit: the JIT keeps it as tight as a plain copy for ASCII
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                out[pos++] = (byte) c;
            }
            else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | (c >> 6));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                out[pos++] = (byte) (0xF0 | (cp >> 18));
                out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (cp & 0x3F));
            }
            else if (Character.isSurrogate(c)) {
                unpaired = true;
            }
            else {
                out[pos++] = (byte) (0xE0 | (c >> 12));
                out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return unpaired ? -1 : pos;
    }
}
