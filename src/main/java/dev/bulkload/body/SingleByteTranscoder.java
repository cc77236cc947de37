package dev.bulkload.body;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * A payload in a charset of one byte per character (windows-1252, ISO-8859-1, ...), read as UTF-8 through a table
 * of the 128 bytes above ASCII, which every such charset keeps as ASCII. A byte the charset leaves undefined
 * (windows-1252's 0x81, 0x8D, 0x8F, 0x90 and 0x9D; US-ASCII's upper half) is invalid.
 */
final class SingleByteTranscoder extends Utf8Transcoder {

    static final Table WINDOWS_1252 = new Table(Charset.forName("windows-1252"));

    static final Table ISO_8859_1 = new Table(Charset.forName("ISO-8859-1"));

    static final Table ISO_8859_15 = new Table(Charset.forName("ISO-8859-15"));

    static final Table US_ASCII = new Table(Charset.forName("US-ASCII"));

    private final int[] upper;

    SingleByteTranscoder(InputStream in, Table table) {
        super(in);
        this.upper = table.upper;
    }

    @Override
    int transcode(byte[] out, int from, int to, boolean ended) {
        byte[] in = this.input;
        int[] upper = this.upper;
        int p = this.pos;
        int limit = this.limit;
        int o = from;
        while (p < limit) {
            byte b = in[p];
            if (b >= 0) {
                if (o == to) {
                    break;
                }
                out[o++] = b;
            }
            else {
                int c = upper[b & 0x7F];
                if (o + ((c < 0) ? 1 : (c < 0x800) ? 2 : 3) > to) {
                    break;
                }
                if (c < 0) {
                    out[o++] = INVALID;
                }
                else {
                    o = encode(c, out, o);
                }
            }
            p++;
        }
        this.pos = p;
        return o - from;
    }

    /** What the bytes 0x80 to 0xFF of a charset are: a code point, or -1 where the charset defines none. */
    static final class Table {

        private final int[] upper = new int[128];

        Table(Charset charset) {
            CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
            for (int b = 0; b < 128; b++) {
                try {
                    CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(new byte[] { (byte) (0x80 | b) }));
                    this.upper[b] = (decoded.length() == 1 && decoded.charAt(0) != '\uFFFD') ? decoded.charAt(0) : -1;
                }
                catch (CharacterCodingException ex) {
                    this.upper[b] = -1;
                }
            }
            for (int b = 0; b < 128; b++) {
                // the transcoder passes ASCII through as it is: a charset for which that is wrong does not belong here
                try {
                    CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(new byte[] { (byte) b }));
                    if (decoded.length() != 1 || decoded.charAt(0) != b) {
                        throw new IllegalArgumentException(charset + " does not keep ASCII as it is");
                    }
                }
                catch (CharacterCodingException ex) {
                    throw new IllegalArgumentException(charset + " does not keep ASCII as it is", ex);
                }
            }
        }
    }
}
