package dev.bulkload.catalog;

import java.math.BigInteger;

/**
 * Judges a value longer than its type's bound ({@link TypedValueLimit}) the way PostgreSQL's input function
 * would, without building a string of it: integers and {@code oid} by their exact grammar and range, floats by
 * their decimal grammar and range (other spellings {@code strtod} takes are left to the server), {@code numeric}
 * by its grammar, booleans by their words, dates and times by the letters and digits of their fields (whitespace
 * and punctuation between fields are skipped by the server), the network, MAC address and money types by what
 * remains without whitespace, zeros and punctuation. Each method answers null when PostgreSQL may take the
 * value, else the SQLSTATE it would refuse it with. Whitespace is what C's {@code isspace} skips.
 */
final class LongValues {

    static final String SYNTAX = "22P02";

    static final String OUT_OF_RANGE = "22003";

    /** Significant digits of a float kept to round it as exactly as the whole: a double needs at most 767. */
    private static final int FLOAT_DIGITS = 800;

    private static final BigInteger OID_MAX = BigInteger.valueOf(4_294_967_295L);

    private static final BigInteger OID_MIN_MAGNITUDE = BigInteger.valueOf(2_147_483_648L);

    private LongValues() {
    }

    /**
     * smallint, integer, bigint: {@code [ws][sign]digits[ws]}; since PostgreSQL 16 also {@code 0x}, {@code 0o},
     * {@code 0b} prefixes (an underscore may follow the prefix) and single underscores between digits.
     */
    static String integer(byte[] b, int from, int to, int bits, boolean since16) {
        int start = skipSpace(b, from, to);
        int end = trimSpace(b, start, to);
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        int radix = since16 ? prefixRadix(b, i, end) : 10;
        boolean prefixed = radix != 10;
        if (prefixed) {
            i += 2;
        }
        Digits digits = new Digits(radix, 24);
        for (; i < end; i++) {
            if (digits.add(b[i])) {
                continue;
            }
            boolean underscoreAllowed = since16 && (prefixed || digits.any());
            if (b[i] == '_' && underscoreAllowed && i + 1 < end && digit(b[i + 1], radix) >= 0) {
                continue;
            }
            return SYNTAX;
        }
        if (!digits.any()) {
            return SYNTAX;
        }
        BigInteger value = digits.value();
        if (value == null) {
            return OUT_OF_RANGE;
        }
        BigInteger limit = BigInteger.ONE.shiftLeft(bits - 1);
        return (negative ? value.compareTo(limit) > 0 : value.compareTo(limit) >= 0) ? OUT_OF_RANGE : null;
    }

    /**
     * oid, read by {@code strtoul}: {@code [ws][sign]digits[ws]}, decimal before PostgreSQL 16, since then also
     * hexadecimal after {@code 0x} and octal after a leading 0; a negative value is taken modulo 2^32 down to
     * -2147483648.
     */
    static String oid(byte[] b, int from, int to, boolean since16) {
        int start = skipSpace(b, from, to);
        int end = trimSpace(b, start, to);
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        int radix = 10;
        if (since16 && i < end && b[i] == '0') {
            boolean hex = i + 2 < end && (b[i + 1] == 'x' || b[i + 1] == 'X') && digit(b[i + 2], 16) >= 0;
            radix = hex ? 16 : 8;
            i += hex ? 2 : 0;
        }
        Digits digits = new Digits(radix, 24);
        for (; i < end; i++) {
            if (!digits.add(b[i])) {
                return SYNTAX;
            }
        }
        if (!digits.any()) {
            return SYNTAX;
        }
        BigInteger value = digits.value();
        if (value == null) {
            return OUT_OF_RANGE;
        }
        return (value.compareTo(negative ? OID_MIN_MAGNITUDE : OID_MAX) > 0) ? OUT_OF_RANGE : null;
    }

    /**
     * boolean: without surrounding whitespace, a prefix of {@code true}, {@code false}, {@code yes}, {@code no},
     * or {@code on}, {@code of[f]}, {@code 1}, {@code 0}, in any case.
     */
    static String bool(byte[] b, int from, int to) {
        int start = skipSpace(b, from, to);
        int end = trimSpace(b, start, to);
        int length = end - start;
        if (length < 1 || length > 5) {
            return SYNTAX;
        }
        String word = new String(b, start, length, java.nio.charset.StandardCharsets.ISO_8859_1)
            .toLowerCase(java.util.Locale.ROOT);
        boolean valid = "true".startsWith(word) || "false".startsWith(word) || "yes".startsWith(word)
                || "no".startsWith(word) || word.equals("on") || word.equals("of") || word.equals("off")
                || word.equals("1") || word.equals("0");
        return valid ? null : SYNTAX;
    }

    /**
     * real and double precision: a decimal {@code [ws][sign](digits[.digits]|.digits)[e[sign]digits][ws]} whose
     * value neither overflows nor rounds to zero. Infinity, NaN and hexadecimal spellings are left to the server.
     */
    static String floating(byte[] b, int from, int to, boolean single) {
        int start = skipSpace(b, from, to);
        int end = trimSpace(b, start, to);
        int i = start;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        if (startsWithIgnoreCase(b, i, end, "inf") || startsWithIgnoreCase(b, i, end, "nan")
                || startsWithIgnoreCase(b, i, end, "0x")) {
            return null;
        }
        StringBuilder significant = new StringBuilder();
        boolean sticky = false;
        boolean anyDigit = false;
        boolean point = false;
        long exponent = 0;
        for (; i < end; i++) {
            int c = b[i];
            if (c == '.' && !point) {
                point = true;
                continue;
            }
            if (c < '0' || c > '9') {
                break;
            }
            anyDigit = true;
            if (significant.isEmpty() && c == '0') {
                exponent -= point ? 1 : 0;
                continue;
            }
            exponent += point ? 0 : 1;
            if (significant.length() < FLOAT_DIGITS) {
                significant.append((char) c);
            }
            else {
                sticky |= c != '0';
            }
        }
        if (!anyDigit) {
            return SYNTAX;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negative = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negative = b[i] == '-';
                i++;
            }
            Digits digits = new Digits(10, 12);
            for (; i < end && digits.add(b[i]); i++) {
                // the exponent's digits
            }
            if (!digits.any()) {
                return SYNTAX;
            }
            BigInteger value = digits.value();
            long explicit = (value == null) ? Long.MAX_VALUE / 4 : value.longValueExact();
            exponent += negative ? -explicit : explicit;
        }
        if (i != end) {
            return SYNTAX;
        }
        if (significant.isEmpty()) {
            return null;
        }
        if (exponent > 400 || exponent < -400) {
            return OUT_OF_RANGE;
        }
        String normal = "0." + significant + (sticky ? "1" : "") + "e" + exponent;
        double value = single ? Float.parseFloat(normal) : Double.parseDouble(normal);
        return (Double.isInfinite(value) || value == 0) ? OUT_OF_RANGE : null;
    }

    /**
     * numeric: {@code [ws]} NaN or [signed] Infinity or inf, or {@code [sign](digits[.digits]|.digits)
     * [e[sign]digits]}, then {@code [ws]}; since PostgreSQL 16 with single underscores between digits (not right
     * after the point) and {@code 0x}, {@code 0o}, {@code 0b} integers. A number too large for numeric is refused
     * by the server without repeating it, so it is left to the server.
     */
    static String numeric(byte[] b, int from, int to, boolean since16) {
        int start = skipSpace(b, from, to);
        int end = trimSpace(b, start, to);
        for (String special : new String[] { "nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf" }) {
            if (end - start == special.length() && startsWithIgnoreCase(b, start, end, special)) {
                return null;
            }
        }
        int i = start;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        int radix = since16 ? prefixRadix(b, i, end) : 10;
        if (radix != 10) {
            i += 2;
            boolean any = false;
            for (; i < end; i++) {
                if (digit(b[i], radix) >= 0) {
                    any = true;
                }
                else if (!(b[i] == '_' && i + 1 < end && digit(b[i + 1], radix) >= 0)) {
                    return SYNTAX;
                }
            }
            return any ? null : SYNTAX;
        }
        boolean anyDigit = false;
        boolean point = false;
        for (; i < end; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                anyDigit = true;
            }
            else if (c == '.') {
                if (point || (since16 && i + 1 < end && b[i + 1] == '_')) {
                    return SYNTAX;
                }
                point = true;
            }
            else if (c == '_' && since16 && anyDigit && i + 1 < end && b[i + 1] >= '0' && b[i + 1] <= '9') {
                continue;
            }
            else {
                break;
            }
        }
        if (!anyDigit) {
            return SYNTAX;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (!since16) {
                // before 16 the exponent is read by strtol, which skips whitespace first
                i = skipSpace(b, i, end);
            }
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            boolean exponentDigit = false;
            for (; i < end; i++) {
                if (b[i] >= '0' && b[i] <= '9') {
                    exponentDigit = true;
                }
                else if (!(since16 && b[i] == '_' && exponentDigit && i + 1 < end && b[i + 1] >= '0'
                        && b[i + 1] <= '9')) {
                    break;
                }
            }
            if (!exponentDigit) {
                return SYNTAX;
            }
        }
        return (i == end) ? null : SYNTAX;
    }

    /**
     * Whether a date, time or interval has more letters and digits than fit the server's field buffer: it copies
     * the fields' letters, digits and some punctuation there and skips whitespace and other punctuation.
     */
    static boolean fieldsLongerThan(byte[] b, int from, int to, int limit) {
        int count = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
                if (++count > limit) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether more bytes than {@code limit} remain without whitespace, zeros and ASCII punctuation (inet, cidr,
     * macaddr, macaddr8, money: leading zeros, surrounding whitespace and repeated separators are taken).
     */
    static boolean significantLongerThan(byte[] b, int from, int to, int limit) {
        int count = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            boolean padding = isSpace(c) || c == '0' || (c > ' ' && c < 0x7F && !Character.isLetterOrDigit(c));
            if (!padding && ++count > limit) {
                return true;
            }
        }
        return false;
    }

    /** The radix a {@code 0x}, {@code 0o} or {@code 0b} prefix at {@code i} names, else 10. */
    private static int prefixRadix(byte[] b, int i, int end) {
        if (i + 1 >= end || b[i] != '0') {
            return 10;
        }
        return switch (b[i + 1]) {
            case 'x', 'X' -> 16;
            case 'o', 'O' -> 8;
            case 'b', 'B' -> 2;
            default -> 10;
        };
    }

    private static int digit(int c, int radix) {
        int value = Character.digit(c & 0xFF, radix);
        return (c >= 0 && c < 0x80) ? value : -1;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int skipSpace(byte[] b, int from, int to) {
        int i = from;
        while (i < to && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static int trimSpace(byte[] b, int from, int to) {
        int end = to;
        while (end > from && isSpace(b[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int from, int to, String word) {
        if (to - from < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) (b[from + i] & 0xFF)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The significant digits of a number in a radix, kept up to a count past which the number is out of range. */
    private static final class Digits {

        private final int radix;

        private final int max;

        private final StringBuilder significant = new StringBuilder();

        private boolean any;

        private boolean tooMany;

        Digits(int radix, int maxDecimalDigits) {
            this.radix = radix;
            // as many digits of the radix as carry the decimal digits' worth of bits, and some
            this.max = (int) Math.ceil(maxDecimalDigits * Math.log(10) / Math.log(radix)) + 1;
        }

        /** Takes the character when it is a digit of the radix. */
        boolean add(int c) {
            if (digit(c, this.radix) < 0) {
                return false;
            }
            this.any = true;
            if (this.significant.isEmpty() && c == '0') {
                return true;
            }
            if (this.significant.length() < this.max) {
                this.significant.append((char) c);
            }
            else {
                this.tooMany = true;
            }
            return true;
        }

        boolean any() {
            return this.any;
        }

        /** The value, or null when it has more digits than any value in range. */
        BigInteger value() {
            if (this.tooMany) {
                return null;
            }
            return this.significant.isEmpty() ? BigInteger.ZERO : new BigInteger(this.significant.toString(), this.radix);
        }
    }
}
