package dev.bulkload.json;

/**
 * Reads past an ignored object or array of an NDJSON line at byte level, instead of having Jackson tokenize it
 * (property names looked up, numbers copied) only to drop it. The scan is strict RFC 8259 JSON: it gives the end of
 * the value only when Jackson would have read the same bytes without a complaint, within the limits Jackson
 * enforces, and otherwise answers {@link #DOUBTFUL}, so the caller lets Jackson read the value and report what it
 * finds, exactly as before. Bytes the reader marked as refused text are the caller's to check.
 */
final class SkippedValue {

    /** The value is not certainly well-formed and within the limits: Jackson must read it. */
    static final int DOUBTFUL = -1;

    /** The deepest nesting tracked (one bit a level); deeper is left to Jackson. */
    private static final int MAX_LEVELS = 63;

    private static final int KEY_OR_END = 0;

    private static final int KEY = 1;

    private static final int COLON = 2;

    private static final int VALUE_OR_END = 3;

    private static final int VALUE = 4;

    private static final int AFTER_VALUE = 5;

    private SkippedValue() {
    }

    /**
     * The index of the byte closing the object or array opened just before {@code from}, or {@link #DOUBTFUL}.
     * @param object whether an object was opened (else an array)
     * @param levels how many levels of nesting the value may open inside itself
     * @param maxNumber the longest number accepted
     * @param maxString the longest string (key or value) accepted, in bytes
     */
    static int end(byte[] bytes, int from, int limit, boolean object, int levels, int maxNumber, int maxString) {
        int maxDepth = Math.min(levels, MAX_LEVELS);
        // bit d set: level d is an object
        long objects = object ? 1L : 0L;
        int depth = 0;
        int state = object ? KEY_OR_END : VALUE_OR_END;
        int i = from;
        while (i < limit) {
            int c = bytes[i] & 0xFF;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            switch (state) {
                case KEY_OR_END, KEY -> {
                    if (c == '}' && state == KEY_OR_END) {
                        if (depth == 0) {
                            return i;
                        }
                        depth--;
                        state = AFTER_VALUE;
                        i++;
                    }
                    else if (c == '"') {
                        i = string(bytes, i + 1, limit, maxString);
                        state = COLON;
                    }
                    else {
                        return DOUBTFUL;
                    }
                }
                case COLON -> {
                    if (c != ':') {
                        return DOUBTFUL;
                    }
                    state = VALUE;
                    i++;
                }
                case VALUE_OR_END, VALUE -> {
                    if (c == ']' && state == VALUE_OR_END) {
                        if (depth == 0) {
                            return i;
                        }
                        depth--;
                        state = AFTER_VALUE;
                        i++;
                    }
                    else if (c == '{' || c == '[') {
                        if (++depth > maxDepth) {
                            return DOUBTFUL;
                        }
                        if (c == '{') {
                            objects |= 1L << depth;
                            state = KEY_OR_END;
                        }
                        else {
                            objects &= ~(1L << depth);
                            state = VALUE_OR_END;
                        }
                        i++;
                    }
                    else if (c == '"') {
                        i = string(bytes, i + 1, limit, maxString);
                        state = AFTER_VALUE;
                    }
                    else if (c == '-' || (c >= '0' && c <= '9')) {
                        i = number(bytes, i, limit, maxNumber);
                        state = AFTER_VALUE;
                    }
                    else if (c == 't') {
                        i = literal(bytes, i, limit, "true");
                        state = AFTER_VALUE;
                    }
                    else if (c == 'f') {
                        i = literal(bytes, i, limit, "false");
                        state = AFTER_VALUE;
                    }
                    else if (c == 'n') {
                        i = literal(bytes, i, limit, "null");
                        state = AFTER_VALUE;
                    }
                    else {
                        return DOUBTFUL;
                    }
                }
                default -> {
                    boolean inObject = (objects & (1L << depth)) != 0;
                    if (c == ',') {
                        state = inObject ? KEY : VALUE;
                        i++;
                    }
                    else if ((c == '}' && inObject) || (c == ']' && !inObject)) {
                        if (depth == 0) {
                            return i;
                        }
                        depth--;
                        i++;
                    }
                    else {
                        return DOUBTFUL;
                    }
                }
            }
            if (i < 0) {
                return DOUBTFUL;
            }
        }
        return DOUBTFUL;
    }

    /** The index after the string whose content starts at {@code from}, or -1. */
    private static int string(byte[] bytes, int from, int limit, int maxString) {
        int end = (int) Math.min(limit, (long) from + maxString + 1);
        int i = from;
        while (i < end) {
            int c = bytes[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    return -1;
                }
                int e = bytes[i + 1];
                if (e == 'u') {
                    if (i + 5 >= end || !hex(bytes[i + 2]) || !hex(bytes[i + 3]) || !hex(bytes[i + 4])
                            || !hex(bytes[i + 5])) {
                        return -1;
                    }
                    i += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return -1;
                }
                i += 2;
                continue;
            }
            i++;
        }
        return -1;
    }

    /** The index after the number starting at {@code from}, or -1: RFC 8259's grammar, no leading zeros. */
    private static int number(byte[] bytes, int from, int limit, int maxNumber) {
        int i = from;
        if (bytes[i] == '-') {
            i++;
        }
        if (i >= limit) {
            return -1;
        }
        if (bytes[i] == '0') {
            i++;
        }
        else {
            int digits = digits(bytes, i, limit);
            if (digits == 0) {
                return -1;
            }
            i += digits;
        }
        if (i < limit && bytes[i] == '.') {
            int digits = digits(bytes, i + 1, limit);
            if (digits == 0) {
                return -1;
            }
            i += 1 + digits;
        }
        if (i < limit && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            if (i < limit && (bytes[i] == '+' || bytes[i] == '-')) {
                i++;
            }
            int digits = digits(bytes, i, limit);
            if (digits == 0) {
                return -1;
            }
            i += digits;
        }
        return (i - from <= maxNumber) ? i : -1;
    }

    private static int digits(byte[] bytes, int from, int limit) {
        int i = from;
        while (i < limit && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        return i - from;
    }

    private static int literal(byte[] bytes, int from, int limit, String word) {
        if (from + word.length() > limit) {
            return -1;
        }
        for (int k = 0; k < word.length(); k++) {
            if (bytes[from + k] != word.charAt(k)) {
                return -1;
            }
        }
        return from + word.length();
    }

    private static boolean hex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
