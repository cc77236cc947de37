package dev.bulkload.row;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one text check every reader uses: bytes as read, and characters a JSON parser decoded from escapes. */
class Utf8Tests {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "41", "7F", "C280", "DFBF", "E0A080", "ED9FBF", "EE8080", "EFBFBD", "EFBFBF",
            "F0908080", "F09F9880", "F48FBFBF" })
    void acceptsEveryWellFormedSequenceUpToTheEdgesOfTable3Dash7(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(framed(bytes), 0, framed(bytes).length)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // NUL: PostgreSQL text cannot hold it
            "00",
            // overlong forms: '/' as C0 AF, 'a' as C1 A1, NUL as C0 80, three and four bytes for less
            "C0AF", "C1A1", "C080", "E080AF", "E09FBF", "F08080AF", "F08FBFBF",
            // surrogate code points encoded in UTF-8
            "EDA080", "EDAFBF", "EDB080", "EDBFBF",
            // above U+10FFFF
            "F4908080", "F7BFBFBF",
            // bytes that never occur
            "C0", "C1", "F5", "F8", "FE", "FF", "F5808080",
            // continuation bytes with no lead
            "80", "BF",
            // sequences cut off, at the end or by another byte
            "E282", "F09F98", "C2", "E28241", "C241", "F09F9841", "E2C2A2" })
    void refusesAndPointsAtTheFirstByteOfTheBadSequence(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        assertThat(Utf8.firstInvalid(bad, 0, bad.length)).isZero();
        byte[] framed = framed(bad);
        assertThat(Utf8.firstInvalid(framed, 0, framed.length)).isEqualTo(11);
    }

    @Test
    void findsABadByteAtEveryPlaceOfALongAsciiRun() {
        for (byte bad : new byte[] { 0, (byte) 0x80, (byte) 0xC0, (byte) 0xFF }) {
            for (int at = 0; at < 40; at++) {
                byte[] bytes = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".getBytes(StandardCharsets.US_ASCII);
                bytes[at] = bad;
                assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).as("byte %02X at %d", bad, at).isEqualTo(at);
                assertThat(Utf8.firstInvalid(bytes, at + 1, bytes.length - at - 1)).isEqualTo(-1);
                assertThat(Utf8.firstInvalid(bytes, 0, at)).isEqualTo(-1);
            }
        }
    }

    @Test
    void aSequenceEndingPastTheRangeIsCutOff() {
        byte[] emoji = "a\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        for (int end = 2; end < emoji.length; end++) {
            assertThat(Utf8.firstInvalid(emoji, 0, end)).isEqualTo(1);
            assertThat(Utf8.isCutOff(emoji, 1, end)).isTrue();
        }
        assertThat(Utf8.isCutOff(emoji, 1, emoji.length)).isFalse();
        byte[] overlong = { (byte) 0xE0, (byte) 0x80 };
        assertThat(Utf8.isCutOff(overlong, 0, 2)).as("E0 80 can never become well-formed").isFalse();
        byte[] surrogate = { (byte) 0xED, (byte) 0xA0 };
        assertThat(Utf8.isCutOff(surrogate, 0, 2)).isFalse();
        assertThat(Utf8.isCutOff(new byte[] { (byte) 0xF5 }, 0, 1)).isFalse();
    }

    /** Java's own decoder, told to report, is strict about every form; it accepts NUL, which we refuse. */
    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(18);
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly the interesting bytes: leads, continuations and ASCII
                int kind = random.nextInt(4);
                bytes[i] = (byte) ((kind == 0) ? random.nextInt(0x80) : (kind == 1) ? 0x80 + random.nextInt(0x40)
                        : 0xC0 + random.nextInt(0x40));
            }
            boolean jdk = decodes(bytes);
            boolean nul = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\0') >= 0;
            assertThat(Utf8.firstInvalid(bytes, 0, bytes.length) < 0).as(HexFormat.of().formatHex(bytes))
                .isEqualTo(jdk && !nul);
        }
    }

    @Test
    void describesNulApartFromOtherBadBytes() {
        assertThat(Utf8.describe((byte) 0)).contains("NUL");
        assertThat(Utf8.describe((byte) 0xC0)).startsWith("Invalid UTF-8 byte sequence").contains("0xC0");
    }

    @Test
    void charactersFromEscapesMustPairTheirSurrogatesAndHoldNoNul() {
        assertThat(Utf8.firstInvalid("a\uD83D\uDE00b".toCharArray(), 0, 4)).isEqualTo(-1);
        assertThat(Utf8.firstInvalid("a\uD800b".toCharArray(), 0, 3)).isEqualTo(1);
        assertThat(Utf8.firstInvalid("a\uDC00".toCharArray(), 0, 2)).isEqualTo(1);
        assertThat(Utf8.firstInvalid("\uD800\uD800\uDC00".toCharArray(), 0, 3)).isZero();
        assertThat(Utf8.firstInvalid("x\uD800".toCharArray(), 0, 2)).isEqualTo(1);
        assertThat(Utf8.firstInvalid("\uDE00\uD83D".toCharArray(), 0, 2)).isZero();
        assertThat(Utf8.firstInvalid("ab\0".toCharArray(), 0, 3)).isEqualTo(2);
        // a pair split by the end of the range is unpaired within it
        assertThat(Utf8.firstInvalid("a\uD83D\uDE00".toCharArray(), 0, 2)).isEqualTo(1);
        assertThat(Utf8.describe('\uD800')).contains("\\uD800").contains("not followed by a low surrogate");
        assertThat(Utf8.describe('\uDC00')).contains("\\uDC00").contains("without a high surrogate");
        assertThat(Utf8.describe('\0')).contains("\\u0000");
    }

    @Test
    void rowsEncodeWhatIsValidExactlyAndRefuseUnpairedSurrogates() {
        Row row = new Row(1);
        row.reset(1, 1);
        row.begin(0);
        String valid = "é€\uD83D\uDE00\u007F\u0080\u07FF\u0800\uFFFF";
        assertThat(row.appendChars(valid.toCharArray(), 0, valid.length())).isTrue();
        row.end();
        assertThat(row.text(0)).isEqualTo(valid);
        // U+0000 is the readers' to refuse, before a value is encoded; a surrogate without its other half has no
        // UTF-8 form at all
        for (String bad : new String[] { "a\uD800b", "\uDC00", "\uD800\uD800", "x\uD800", "\uDE00\uD83D" }) {
            row.reset(1, 1);
            row.begin(0);
            assertThat(row.appendChars(bad.toCharArray(), 0, bad.length())).as(bad).isFalse();
        }
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (CharacterCodingException ex) {
            return false;
        }
    }

    /** The bytes after 11 of ASCII and before 9 more: checked by the word-at-a-time path and after it. */
    private static byte[] framed(byte[] bytes) {
        byte[] framed = new byte[11 + bytes.length + 9];
        System.arraycopy("hello world".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 11);
        System.arraycopy(bytes, 0, framed, 11, bytes.length);
        System.arraycopy("123456789".getBytes(StandardCharsets.US_ASCII), 0, framed, 11 + bytes.length, 9);
        return framed;
    }
}
