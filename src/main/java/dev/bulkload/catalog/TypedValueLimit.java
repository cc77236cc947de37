package dev.bulkload.catalog;

import java.util.List;
import java.util.Locale;

/**
 * The most UTF-8 bytes a valid text input of a column's type can have, and what the service refuses of a longer
 * value before it reaches the server: PostgreSQL's error for a bad value repeats the value, and for a value of
 * many megabytes the driver runs out of heap reading it.
 * <p>
 * Bounds ({@link #maxBytes}) admit every spelling PostgreSQL 14–18 accepts (signs, hexadecimal, octal and binary
 * integers, underscores between digits, spelled-out dates and interval units, time zone names) plus
 * {@value #SURROUNDING_WHITESPACE} bytes of surrounding whitespace and {@value #SLACK} bytes for redundant zeros,
 * repeated separators and extra spaces between fields. A value within its bound goes to the server untouched. A
 * longer one is refused only when PostgreSQL certainly refuses it ({@link #refusal}): padding PostgreSQL skips
 * (whitespace, leading zeros, underscores, punctuation between date fields) never counts against it. Types whose
 * valid text has no length limit, or whose error does not repeat the value ({@code character(n)},
 * {@code character varying(n)}), and types not known here, are {@link #UNBOUNDED}.
 */
public final class TypedValueLimit {

    /** The answer for a type whose valid text may be of any length. */
    public static final int UNBOUNDED = -1;

    private final String type;

    private final Family family;

    private final int core;

    private final int serverVersion;

    /** Leading and trailing whitespace, which most input functions skip: 64 bytes either side. */
    static final int SURROUNDING_WHITESPACE = 128;

    /** Redundant leading zeros, repeated thousands separators, several spaces between date fields. */
    static final int SLACK = 64;

    /** {@code -0b} and 64 binary digits with an underscore between each two: the longest bigint. */
    private static final int BIGINT = 3 + 64 + 63;

    private static final int INTEGER = 3 + 32 + 31;

    private static final int SMALLINT = 3 + 16 + 15;

    /** The exact decimal expansion of the smallest double, 0.000…49406564584124654…, signed: 1,077 characters. */
    private static final int FLOAT = 1_100;

    /**
     * numeric without precision: 131,072 digits before the point and 16,383 after, each two
     * separated by an underscore, with sign, point and exponent.
     */
    private static final int NUMERIC = 2 * (131_072 + 16_383) + 16;

    /**
     * Date and time input is split into fields in a buffer of MAXDATELEN + MAXDATEFIELDS (128 + 25)
     * bytes; the whitespace between fields is not kept there, so it is allowed for separately.
     */
    private static final int DATETIME = 128 + 25 + SLACK;

    /** Interval input is split into fields in a 256-byte buffer. */
    private static final int INTERVAL = 256 + SLACK;

    /** {@code {a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11}}: braces and a hyphen after every four digits. */
    private static final int UUID = 41;

    /** {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128}. */
    private static final int INET = 49;

    /** {@code 0x08:0x00:0x2b:0x01:0x02:0x03}: each byte is read by sscanf's %x. */
    private static final int MACADDR = 6 * 4 + 5;

    /** {@code 08:00:2b:01:02:03:04:05}. */
    private static final int MACADDR8 = 23;

    /** {@code ($92,233,720,368,547,758.08)} with room for a locale's longer currency symbol. */
    private static final int MONEY = 28 + 16;

    /** {@code -037777777777}: oid input takes a sign and octal or hexadecimal. */
    private static final int OID = 13;

    private static final int BOOLEAN = "false".length();

    private static final String DATETIME_SYNTAX = "22007";

    private TypedValueLimit(String type, Family family, int core, int serverVersion) {
        this.type = type;
        this.family = family;
        this.core = core;
        this.serverVersion = serverVersion;
    }

    /**
     * The limit of every column of the table, in column order, null where values may be of any length: made once
     * per load, so a value within its bound costs one comparison.
     * @param serverVersion the server's major version, which decides some spellings (hexadecimal integers since 16)
     */
    public static TypedValueLimit[] perColumn(LoadableTable table, int serverVersion) {
        List<LoadableColumn> columns = table.columns();
        TypedValueLimit[] limits = new TypedValueLimit[columns.size()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = of(columns.get(i).type(), serverVersion);
        }
        return limits;
    }

    /** The limit of a type, or null when its values may be of any length. */
    public static TypedValueLimit of(String formatType, int serverVersion) {
        Shape shape = shape(formatType);
        return (shape == null) ? null : new TypedValueLimit(formatType, shape.family(), shape.core(), serverVersion);
    }

    /** The most bytes a value is sent to the server without a look at it. */
    public int maxBytes() {
        return this.core + SLACK + SURROUNDING_WHITESPACE;
    }

    /**
     * Why PostgreSQL would refuse this value of the type for sure, or null when it may take it. A value of at most
     * {@link #maxBytes()} is never refused; a longer one only when it cannot be valid (see {@link LongValues}).
     * @param data the value's UTF-8 bytes are {@code data[start .. start + length)}
     */
    public Refusal refusal(byte[] data, int start, int length) {
        if (length <= maxBytes()) {
            return null;
        }
        int end = start + length;
        boolean since16 = this.serverVersion >= 16;
        String verdict = switch (this.family) {
            case SMALLINT -> LongValues.integer(data, start, end, 16, since16);
            case INTEGER -> LongValues.integer(data, start, end, 32, since16);
            case BIGINT -> LongValues.integer(data, start, end, 64, since16);
            case OID -> LongValues.oid(data, start, end, since16);
            case REAL -> LongValues.floating(data, start, end, true);
            case DOUBLE -> LongValues.floating(data, start, end, false);
            case NUMERIC -> LongValues.numeric(data, start, end, since16);
            case BOOLEAN -> LongValues.bool(data, start, end);
            case DATETIME -> LongValues.fieldsLongerThan(data, start, end, this.core) ? DATETIME_SYNTAX : null;
            case LENIENT -> LongValues.significantLongerThan(data, start, end, this.core) ? LongValues.SYNTAX : null;
            case EXACT -> LongValues.SYNTAX;
        };
        if (verdict == null) {
            return null;
        }
        String message = verdict.equals(LongValues.OUT_OF_RANGE)
                ? "value of " + length + " bytes is out of range for type " + this.type
                : "invalid input syntax for type " + this.type + ": a value of " + length + " bytes";
        return new Refusal(verdict, message);
    }

    /**
     * The most UTF-8 bytes a valid text input of the type can have, or {@link #UNBOUNDED}.
     * @param formatType the column's type as PostgreSQL's {@code format_type} renders it, e.g.
     * {@code integer}, {@code numeric(12,2)}, {@code timestamp(3) with time zone}
     */
    public static int maxBytes(String formatType) {
        Shape shape = shape(formatType);
        return (shape == null) ? UNBOUNDED : shape.core() + SLACK + SURROUNDING_WHITESPACE;
    }

    /**
     * The bound of every column of the table, in column order, computed once per load so that each
     * value costs one comparison ({@link #allows}).
     */
    public static int[] perColumn(LoadableTable table) {
        List<LoadableColumn> columns = table.columns();
        int[] bounds = new int[columns.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = maxBytes(columns.get(i).type());
        }
        return bounds;
    }

    /** Whether a value of this many UTF-8 bytes may be of a type with this bound. */
    public static boolean allows(int maxBytes, int length) {
        return maxBytes == UNBOUNDED || length <= maxBytes;
    }

    /** The type's family and the length of its longest valid spelling without padding, or null. */
    private static Shape shape(String formatType) {
        if (formatType == null) {
            return null;
        }
        String type = formatType.strip().toLowerCase(Locale.ROOT);
        if (type.endsWith("]")) {
            return null;
        }
        if (type.startsWith("pg_catalog.")) {
            type = type.substring("pg_catalog.".length());
        }
        String modifier = modifier(type);
        String name = withoutModifier(type);
        return switch (name) {
            case "smallint", "int2" -> new Shape(Family.SMALLINT, SMALLINT);
            case "integer", "int", "int4" -> new Shape(Family.INTEGER, INTEGER);
            case "bigint", "int8" -> new Shape(Family.BIGINT, BIGINT);
            case "real", "float4" -> new Shape(Family.REAL, FLOAT);
            case "double precision", "float8", "float" -> new Shape(Family.DOUBLE, FLOAT);
            case "numeric", "decimal" -> new Shape(Family.NUMERIC, numeric(modifier));
            case "boolean", "bool" -> new Shape(Family.BOOLEAN, BOOLEAN);
            case "date", "time", "timetz", "time without time zone", "time with time zone", "timestamp",
                    "timestamptz", "timestamp without time zone", "timestamp with time zone" ->
                new Shape(Family.DATETIME, DATETIME);
            case "uuid" -> new Shape(Family.EXACT, UUID);
            case "inet", "cidr" -> new Shape(Family.LENIENT, INET);
            case "macaddr" -> new Shape(Family.LENIENT, MACADDR);
            case "macaddr8" -> new Shape(Family.LENIENT, MACADDR8);
            case "money" -> new Shape(Family.LENIENT, MONEY);
            case "oid" -> new Shape(Family.OID, OID);
            // interval carries its fields in the name: "interval year to month", "interval day to second(3)"
            default -> name.equals("interval") || name.startsWith("interval ") ? new Shape(Family.DATETIME, INTERVAL)
                    : null;
        };
    }

    /**
     * numeric(p,s): at most max(p, s) digits, or p - s for a negative scale, each two separated by an
     * underscore; and any number of further fraction digits are legal because input is rounded to
     * the scale, so room is left for the exact expansion of a double, the longest a client plausibly
     * sends.
     */
    private static int numeric(String modifier) {
        if (modifier == null) {
            return NUMERIC;
        }
        String[] parts = modifier.split(",", -1);
        try {
            int precision = Integer.parseInt(parts[0].strip());
            int scale = (parts.length > 1) ? Integer.parseInt(parts[1].strip()) : 0;
            if (parts.length > 2 || precision < 1 || precision > 1000 || scale < -1000 || scale > 1000) {
                return NUMERIC;
            }
            int digits = (scale < 0) ? precision - scale : Math.max(precision, scale);
            return 2 * digits + FLOAT;
        }
        catch (NumberFormatException ex) {
            // Not a typmod this class knows: fall back to the bound of any numeric, never refuse more.
            return NUMERIC;
        }
    }

    /** The text between the first parentheses, or null. */
    private static String modifier(String type) {
        int open = type.indexOf('(');
        int close = type.indexOf(')', open + 1);
        return (open < 0 || close < 0) ? null : type.substring(open + 1, close);
    }

    /** The type name with its "(…)" removed: "timestamp(3) with time zone" is "timestamp with time zone". */
    private static String withoutModifier(String type) {
        int open = type.indexOf('(');
        int close = type.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return type;
        }
        return (type.substring(0, open).strip() + " " + type.substring(close + 1).strip()).strip();
    }

    /**
     * Why a value is refused.
     * @param sqlState what PostgreSQL would answer: 22P02 (22007 for dates and times) or 22003
     * @param message the reason, naming the type and the value's length, never the value
     */
    public record Refusal(String sqlState, String message) {
    }

    /** How a type's long values are judged. */
    private enum Family {
        SMALLINT, INTEGER, BIGINT, OID, REAL, DOUBLE, NUMERIC, BOOLEAN,

        /** Dates, times and intervals: whitespace and punctuation between fields are skipped, the fields are not. */
        DATETIME,

        /** Types whose input skips whitespace, zeros and punctuation in ways not modelled here: counted without them. */
        LENIENT,

        /** Types with no padding at all (uuid): longer than the bound is invalid. */
        EXACT
    }

    /** A type's family and the length of its longest valid spelling without padding. */
    private record Shape(Family family, int core) {
    }
}
