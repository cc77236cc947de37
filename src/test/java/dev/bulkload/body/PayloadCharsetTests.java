package dev.bulkload.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Charset names and the transcoding of each charset to UTF-8, at every read size. */
class PayloadCharsetTests {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Every character windows-1252 has above ASCII, the € and the curly quotes of 0x80 to 0x9F among them. */
    private static final String WINDOWS_1252_UPPER = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ ¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿"
            + "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ";

    @Test
    void namesAreCaseInsensitiveWithTheUsualAliases() {
        assertThat(PayloadCharset.named("UTF-8")).isEqualTo(PayloadCharset.UTF_8);
        assertThat(PayloadCharset.named("utf8")).isEqualTo(PayloadCharset.UTF_8);
        assertThat(PayloadCharset.named("\"Windows-1252\"")).isEqualTo(PayloadCharset.WINDOWS_1252);
        assertThat(PayloadCharset.named("CP1252")).isEqualTo(PayloadCharset.WINDOWS_1252);
        assertThat(PayloadCharset.named("Latin1")).isEqualTo(PayloadCharset.ISO_8859_1);
        assertThat(PayloadCharset.named("ISO_8859-1")).isEqualTo(PayloadCharset.ISO_8859_1);
        assertThat(PayloadCharset.named("utf-16LE")).isEqualTo(PayloadCharset.UTF_16LE);
        assertThat(PayloadCharset.named("UTF16BE")).isEqualTo(PayloadCharset.UTF_16BE);
        assertThat(PayloadCharset.named(" utf-16 ")).isEqualTo(PayloadCharset.UTF_16);
        assertThat(PayloadCharset.named("ascii")).isEqualTo(PayloadCharset.US_ASCII);
    }

    @Test
    void anUnknownCharsetIsNamedWithTheSupportedOnes() {
        assertThatExceptionOfType(UnsupportedPayloadException.class).isThrownBy(() -> PayloadCharset.named("koi8-r"))
            .withMessageContaining("'koi8-r'")
            .withMessageContaining("utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1")
            .satisfies((ex) -> assertThat(ex.supportedCharsets()).contains("windows-1252", "utf-16le"));
        assertThatExceptionOfType(UnsupportedPayloadException.class)
            .isThrownBy(() -> PayloadCharset.named("x".repeat(500) + "\u0000"))
            .withMessageContaining("'" + "x".repeat(40) + "…'");
    }

    @Test
    void utf8IsReadAsItIsWithoutAnotherStream() {
        InputStream body = new ByteArrayInputStream(new byte[0]);
        assertThat(PayloadCharset.UTF_8.decode(body)).isSameAs(body);
    }

    @Test
    void windows1252BecomesUtf8AtEveryReadSize() {
        byte[] sent = ("name,€ß\n" + WINDOWS_1252_UPPER + "\n").getBytes(WINDOWS_1252);
        for (int size : new int[] { 1, 2, 3, 5, 64, 8192 }) {
            assertThat(decode(PayloadCharset.WINDOWS_1252, sent, size, size)).as("reads of %d", size)
                .isEqualTo("name,€ß\n" + WINDOWS_1252_UPPER + "\n");
        }
    }

    @Test
    void windows1252UndefinedBytesBecomeInvalidUtf8() {
        byte[] sent = HexFormat.of().parseHex("41818d8f909d42");
        byte[] read = bytes(PayloadCharset.WINDOWS_1252, sent, 8192, 8192);
        assertThat(read).isEqualTo(HexFormat.of().parseHex("41ffffffffff42"));
    }

    @Test
    void isoLatin1MapsEveryByteToItsCodePoint() {
        byte[] sent = new byte[256];
        StringBuilder expected = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            sent[b] = (byte) b;
            expected.append((char) b);
        }
        assertThat(decode(PayloadCharset.ISO_8859_1, sent, 7, 7)).isEqualTo(expected.toString());
        assertThat(decode(PayloadCharset.ISO_8859_15, "€Šš".getBytes(Charset.forName("ISO-8859-15")), 64, 64))
            .isEqualTo("€Šš");
    }

    @Test
    void usAsciiRefusesTheUpperHalf() {
        assertThat(bytes(PayloadCharset.US_ASCII, new byte[] { 'a', (byte) 0xE9, 'b' }, 64, 64))
            .isEqualTo(new byte[] { 'a', (byte) 0xFF, 'b' });
    }

    @Test
    void utf16TakesItsByteOrderFromTheByteOrderMark() {
        String text = "name,email\nJosé,€ 😀 ß\n";
        assertThat(decode(PayloadCharset.UTF_16, withBom(text, StandardCharsets.UTF_16LE, 0xFF, 0xFE), 3, 5))
            .isEqualTo(text);
        assertThat(decode(PayloadCharset.UTF_16, withBom(text, StandardCharsets.UTF_16BE, 0xFE, 0xFF), 1, 1))
            .isEqualTo(text);
        // no mark: big endian (RFC 2781)
        assertThat(decode(PayloadCharset.UTF_16, text.getBytes(StandardCharsets.UTF_16BE), 8192, 8192))
            .isEqualTo(text);
    }

    @Test
    void utf16LeAndBeAreReadWithOrWithoutAByteOrderMark() {
        String text = "a,b\n😀,ÿ\n";
        for (int size : new int[] { 1, 2, 3, 4, 5, 8192 }) {
            assertThat(decode(PayloadCharset.UTF_16LE, text.getBytes(StandardCharsets.UTF_16LE), size, size))
                .isEqualTo(text);
            assertThat(decode(PayloadCharset.UTF_16LE, withBom(text, StandardCharsets.UTF_16LE, 0xFF, 0xFE), size,
                    size))
                .isEqualTo(text);
            assertThat(decode(PayloadCharset.UTF_16BE, text.getBytes(StandardCharsets.UTF_16BE), size, size))
                .isEqualTo(text);
            assertThat(decode(PayloadCharset.UTF_16BE, withBom(text, StandardCharsets.UTF_16BE, 0xFE, 0xFF), size,
                    size))
                .isEqualTo(text);
        }
    }

    @Test
    void utf16UnpairedSurrogatesAndAnOddLastByteAreInvalid() {
        // a high surrogate before an 'x', a lone low surrogate, a high surrogate at the very end, then an odd byte
        byte[] sent = HexFormat.of().parseHex("d83d0078" + "de00" + "0041" + "d83d" + "42");
        for (int size : new int[] { 1, 2, 3, 8192 }) {
            assertThat(bytes(PayloadCharset.UTF_16BE, sent, size, size)).as("reads of %d", size)
                .isEqualTo(new byte[] { (byte) 0xFF, 'x', (byte) 0xFF, 'A', (byte) 0xFF, (byte) 0xFF });
        }
    }

    @Test
    void nulCharactersStayNul() {
        assertThat(bytes(PayloadCharset.UTF_16LE, new byte[] { 'a', 0, 0, 0, 'b', 0 }, 64, 64))
            .isEqualTo(new byte[] { 'a', 0, 'b' });
        assertThat(bytes(PayloadCharset.WINDOWS_1252, new byte[] { 'a', 0, 'b' }, 64, 64))
            .isEqualTo(new byte[] { 'a', 0, 'b' });
    }

    private static byte[] withBom(String text, Charset charset, int first, int second) {
        byte[] body = text.getBytes(charset);
        byte[] withMark = new byte[body.length + 2];
        withMark[0] = (byte) first;
        withMark[1] = (byte) second;
        System.arraycopy(body, 0, withMark, 2, body.length);
        return withMark;
    }

    private static String decode(PayloadCharset charset, byte[] sent, int arriving, int reading) {
        byte[] read = bytes(charset, sent, arriving, reading);
        String text = new String(read, StandardCharsets.UTF_8);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).as("valid UTF-8").isEqualTo(read);
        return text;
    }

    /** Transcodes {@code sent}, arriving {@code arriving} bytes at a time, read {@code reading} bytes at a time. */
    private static byte[] bytes(PayloadCharset charset, byte[] sent, int arriving, int reading) {
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(sent)) {

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, arriving));
            }
        };
        try (InputStream in = charset.decode(trickle)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[reading];
            int n;
            while ((n = in.read(buffer, 0, reading)) >= 0) {
                assertThat(n).isPositive();
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
