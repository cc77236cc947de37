package dev.bulkload.json;

import java.util.Arrays;

import dev.bulkload.row.Utf8;

/**
 * The text a JSON parser must not be given as it is, found in its input before it reads it, neutralised and marked
 * here by byte offset: bytes {@link Utf8} refuses (each becomes {@code '?'}), and escapes that decode to U+0000 or to
 * half of a surrogate pair (each becomes {@code \u005Cu003F}, also six bytes). Jackson decodes overlong forms and code
 * points past U+10FFFF into other characters, keeps unpaired surrogate escapes in values and stops the whole parse
 * at one in a key, so none of it reaches Jackson. The replacement lets it go on: inside a string the record still
 * parses and its reader then refuses it whole (the next record can be read), and anywhere else it is a syntax error
 * at that very place. Marks are kept in ascending order until the reader has passed them.
 */
final class InvalidBytes {

    /** {@link #first()} when nothing is marked. */
    static final long NONE = Long.MAX_VALUE;

    private static final byte BACKSLASH = '\\';

    private static final byte[] ESCAPED_REPLACEMENT = { '\\', 'u', '0', '0', '3', 'F' };

    /** A mark's code at or above this is an escape's code unit; below it, a replaced byte. */
    private static final int ESCAPE = 0x10000;

    private static final int CODE_BITS = 20;

    /**
     * Marks wait only between the parser's place and how far its input was read ahead, one a string at most, and
     * readers forget them as they pass them; this many would mean they are not being passed.
     */
    private static final int MAX_MARKS = 16 * 1024;

    /** Each mark is its offset shifted left by {@link #CODE_BITS}, with its code in the low bits. */
    private long[] marks = new long[16];

    private int head;

    private int tail;

    private boolean overflowed;

    /** Inside a string that already has a mark: its record is refused anyway, so more is replaced but not marked. */
    private boolean inMarkedString;

    /**
     * Checks {@code bytes[from, to)}, whose first byte is at offset {@code base + from} of the parser's input,
     * replacing and marking what the parser must not be given.
     * @param more whether more bytes follow: a UTF-8 sequence or an escape cut off at {@code to} is then left
     *     unchecked, for the next call to check with the bytes that complete it
     * @return where the checked bytes end: {@code to}, or the start of what is left for later (at most 12 bytes)
     */
    int replace(byte[] bytes, int from, int to, long base, boolean more) {
        int i = from;
        while (i < to) {
            int at = this.inMarkedString ? nextInMarkedString(bytes, i, to)
                    : Utf8.firstInvalidOr(bytes, i, to - i, BACKSLASH);
            if (at < 0) {
                return to;
            }
            byte b = bytes[at];
            if (b == '"') {
                // only looked for in a marked string: its end
                this.inMarkedString = false;
                i = at + 1;
                continue;
            }
            if (b == BACKSLASH) {
                int escape = escape(bytes, at, to, more);
                if (escape == 0) {
                    return at;
                }
                if (escape > 0) {
                    i = at + escape;
                    continue;
                }
                mark(base + at, ESCAPE | unit(bytes, at + 2));
                System.arraycopy(ESCAPED_REPLACEMENT, 0, bytes, at, ESCAPED_REPLACEMENT.length);
                i = at + ESCAPED_REPLACEMENT.length;
                continue;
            }
            int sequence = Utf8.sequence(bytes, at, to);
            if (sequence > 0) {
                i = at + sequence;
                continue;
            }
            if (sequence < 0 && more) {
                return at;
            }
            mark(base + at, b & 0xFF);
            bytes[at] = '?';
            i = at + 1;
        }
        return i;
    }

    /**
     * Looks at the escape whose backslash is at {@code at}: its length when it is good (or malformed: the parser
     * refuses that itself), 0 when it is cut off and more bytes follow, or -1 when it decodes to U+0000 or to half
     * of a surrogate pair without the other half.
     */
    private static int escape(byte[] bytes, int at, int to, boolean more) {
        if (at + 1 >= to) {
            return more ? 0 : 1;
        }
        if (bytes[at + 1] != 'u') {
            return 2;
        }
        if (at + 6 > to) {
            return more ? 0 : to - at;
        }
        int unit = unit(bytes, at + 2);
        if (unit < 0) {
            return 2;
        }
        if (unit == 0 || Character.isLowSurrogate((char) unit)) {
            return -1;
        }
        if (!Character.isHighSurrogate((char) unit)) {
            return 6;
        }
        if (at + 12 > to) {
            // the low half may be in the next read
            boolean couldFollow = more && (at + 6 == to || bytes[at + 6] == BACKSLASH)
                    && (at + 7 >= to || bytes[at + 7] == 'u');
            if (couldFollow) {
                return 0;
            }
            return -1;
        }
        boolean paired = bytes[at + 6] == BACKSLASH && bytes[at + 7] == 'u'
                && Character.isLowSurrogate((char) Math.max(unit(bytes, at + 8), 0));
        return paired ? 12 : -1;
    }

    /** The code unit of the four hex digits at {@code at}, or -1 when they are not four hex digits. */
    private static int unit(byte[] bytes, int at) {
        int unit = 0;
        for (int k = 0; k < 4; k++) {
            int digit = Character.digit(bytes[at + k], 16);
            if (digit < 0) {
                return -1;
            }
            unit = (unit << 4) | digit;
        }
        return unit;
    }

    /** In a marked string, the next byte to look at: its closing quote, a backslash, or a byte not ASCII or NUL. */
    private static int nextInMarkedString(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b <= 0 || b == '"' || b == BACKSLASH) {
                return i;
            }
        }
        return -1;
    }

    /** Marks a refusal at the offset, unless it is in a string that already has one; then is in a marked string. */
    private void mark(long offset, int code) {
        if (this.inMarkedString) {
            return;
        }
        // should the refusal be outside a string, the parser fails at it anyway
        this.inMarkedString = true;
        if (this.tail - this.head >= MAX_MARKS) {
            this.overflowed = true;
            return;
        }
        if (this.tail == this.marks.length) {
            if (this.head > 0) {
                System.arraycopy(this.marks, this.head, this.marks, 0, this.tail - this.head);
                this.tail -= this.head;
                this.head = 0;
            }
            else {
                this.marks = Arrays.copyOf(this.marks, this.marks.length * 2);
            }
        }
        this.marks[this.tail++] = (offset << CODE_BITS) | code;
    }

    /** The offset of the first mark not yet passed, or {@link #NONE}. */
    long first() {
        return (this.head < this.tail) ? this.marks[this.head] >>> CODE_BITS : NONE;
    }

    /** Why the first mark was refused, in the service's words. */
    String describeFirst() {
        int code = (int) (this.marks[this.head] & ((1 << CODE_BITS) - 1));
        return (code >= ESCAPE) ? Utf8.describe((char) (code - ESCAPE)) : Utf8.describe((byte) code);
    }

    /** Forgets the marks before the offset: the reader has passed them. */
    void forgetBefore(long offset) {
        while (this.head < this.tail && (this.marks[this.head] >>> CODE_BITS) < offset) {
            this.head++;
        }
        if (this.head == this.tail) {
            this.head = 0;
            this.tail = 0;
        }
    }

    /** Forgets everything, for input that starts anew at offset 0. */
    void clear() {
        this.head = 0;
        this.tail = 0;
        this.inMarkedString = false;
    }

    /** Whether a mark had to be dropped: the reader can no longer tell which records hold refused text. */
    boolean overflowed() {
        return this.overflowed;
    }
}
