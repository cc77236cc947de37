package dev.bulkload.body;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.PayloadTooLargeException;

/**
 * Decompresses a gzip body while guarding against bombs: the decompressed size and the ratio of
 * decompressed to compressed bytes are bounded. Data that is not gzip is a malformed payload.
 */
public final class GzipPayloadStream extends InputStream {

    // Small inputs legitimately compress far better than the ratio (a run of zeros); ignore the ratio below this.
    private static final long RATIO_GRACE_BYTES = 1024 * 1024;

    private final CountingInputStream compressed;

    private final long maxDecompressed;

    private final int maxRatio;

    private GZIPInputStream gzip;

    private long decompressed;

    public GzipPayloadStream(CountingInputStream compressed, long maxDecompressed, int maxRatio) {
        this.compressed = compressed;
        this.maxDecompressed = maxDecompressed;
        this.maxRatio = maxRatio;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return (n < 0) ? -1 : (one[0] & 0xFF);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            if (this.gzip == null) {
                this.gzip = new GZIPInputStream(this.compressed, 64 * 1024);
            }
            int n = this.gzip.read(b, off, len);
            if (n > 0) {
                this.decompressed += n;
                check();
            }
            return n;
        }
        catch (ZipException | EOFException ex) {
            throw new MalformedPayloadException("The body is not valid gzip data: " + ex.getMessage());
        }
    }

    private void check() {
        if (this.decompressed > this.maxDecompressed) {
            throw new PayloadTooLargeException(
                    "The decompressed body is larger than " + this.maxDecompressed + " bytes");
        }
        if (this.decompressed > RATIO_GRACE_BYTES
                && this.decompressed > (long) this.maxRatio * Math.max(1, this.compressed.count())) {
            throw new PayloadTooLargeException(
                    "The body decompresses more than " + this.maxRatio + " times; refused as a possible gzip bomb");
        }
    }

    @Override
    public void close() throws IOException {
        if (this.gzip != null) {
            this.gzip.close();
        }
        else {
            this.compressed.close();
        }
    }
}
