package dev.bulkload.body;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The character sets a payload may come in. The readers read UTF-8 only: a payload in another one is transcoded to
 * UTF-8 as it streams ({@link #decode}), so that UTF-8, the default, reads with no extra layer at all.
 */
public enum PayloadCharset {

    UTF_8("utf-8", "utf8"),
    /** Big or little endian by its byte-order mark; big endian without one (RFC 2781). */
    UTF_16("utf-16", "utf16"),
    UTF_16LE("utf-16le", "utf16le", "utf-16-le"),
    UTF_16BE("utf-16be", "utf16be", "utf-16-be"),
    WINDOWS_1252("windows-1252", "cp1252", "cp-1252", "win1252", "x-cp1252", "ms-ansi"),
    ISO_8859_1("iso-8859-1", "latin1", "latin-1", "l1", "iso8859-1", "iso_8859-1", "iso8859_1", "iso_8859-1:1987",
            "iso-ir-100", "csisolatin1", "cp819", "ibm819", "819", "8859_1"),
    ISO_8859_15("iso-8859-15", "latin9", "latin-9", "l9", "iso8859-15", "iso_8859-15", "iso8859_15", "csisolatin9",
            "8859_15"),
    US_ASCII("us-ascii", "ascii", "us", "iso646-us", "ansi_x3.4-1968", "ansi_x3.4-1986", "csascii", "cp367", "ibm367",
            "iso-ir-6");

    /** Every name and alias, lower case, to its charset. */
    private static final Map<String, PayloadCharset> NAMES = Arrays.stream(values())
        .flatMap((charset) -> Stream.concat(Stream.of(charset.label), charset.aliases.stream())
            .map((name) -> Map.entry(name, charset)))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    /** The longest name echoed back in a problem: a name is client input. */
    private static final int MAX_ECHOED = 40;

    private final String label;

    private final List<String> aliases;

    PayloadCharset(String label, String... aliases) {
        this.label = label;
        this.aliases = List.of(aliases);
    }

    /** The IANA name, lower case, as reports and problems show it. */
    public String label() {
        return this.label;
    }

    /** Every charset's name, as a 415 lists them. */
    public static List<String> supported() {
        return Arrays.stream(values()).map(PayloadCharset::label).toList();
    }

    /**
     * The charset a name means: its IANA name or a usual alias, in any case, optionally quoted.
     * @throws UnsupportedPayloadException naming it and listing the supported ones
     */
    public static PayloadCharset named(String name) {
        String bare = name.strip();
        if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
            bare = bare.substring(1, bare.length() - 1).strip();
        }
        PayloadCharset charset = NAMES.get(bare.toLowerCase(Locale.ROOT));
        if (charset == null) {
            throw new UnsupportedPayloadException("Unsupported charset '" + echo(bare) + "'; send one of "
                    + String.join(", ", supported()), supported());
        }
        return charset;
    }

    /**
     * The payload as UTF-8: itself when it is UTF-8 (the readers validate it), else transcoded as it is read. A
     * byte sequence that is not valid in this charset becomes a byte that is never valid UTF-8, so the reader
     * refuses the record that holds it, naming its record and line, like invalid UTF-8.
     */
    public InputStream decode(InputStream payload) {
        return switch (this) {
            case UTF_8 -> payload;
            case UTF_16, UTF_16LE, UTF_16BE -> new Utf16Transcoder(payload, this);
            case WINDOWS_1252 -> new SingleByteTranscoder(payload, SingleByteTranscoder.WINDOWS_1252);
            case ISO_8859_1 -> new SingleByteTranscoder(payload, SingleByteTranscoder.ISO_8859_1);
            case ISO_8859_15 -> new SingleByteTranscoder(payload, SingleByteTranscoder.ISO_8859_15);
            case US_ASCII -> new SingleByteTranscoder(payload, SingleByteTranscoder.US_ASCII);
        };
    }

    /** The most UTF-8 bytes {@code bytes} of this charset can become, for limits set on the payload as sent. */
    public long utf8Bound(long bytes) {
        int factor = switch (this) {
            case UTF_8, US_ASCII -> 1;
            // a unit of two bytes is at most three bytes of UTF-8 (a surrogate pair: four bytes, four bytes)
            case UTF_16, UTF_16LE, UTF_16BE -> 2;
            case ISO_8859_1 -> 2;
            case WINDOWS_1252, ISO_8859_15 -> 3;
        };
        return (bytes > Long.MAX_VALUE / factor) ? Long.MAX_VALUE : bytes * factor;
    }

    private static String echo(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints()
            .limit(MAX_ECHOED)
            .forEach((c) -> shown.appendCodePoint((c < 0x20 || c == 0x7F || Character.isISOControl(c)) ? '?' : c));
        return (name.codePointCount(0, name.length()) > MAX_ECHOED) ? shown + "…" : shown.toString();
    }
}
