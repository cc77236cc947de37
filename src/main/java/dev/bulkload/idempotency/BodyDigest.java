package dev.bulkload.idempotency;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a request body's bytes as received (compressed, when gzip), computed as the load reads them, so
 * the body is never held; drained to its end when the load needs the whole body's fingerprint.
 */
final class BodyDigest extends FilterInputStream {

    private final MessageDigest sha = sha256();

    private long count;

    private boolean ended;

    BodyDigest(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            this.sha.update((byte) b);
            this.count++;
        }
        else {
            this.ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            this.sha.update(b, off, n);
            this.count += n;
        }
        else if (n < 0) {
            this.ended = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes are hashed too: read them
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        int read = read(buffer, 0, (int) Math.min(buffer.length, n));
        return Math.max(read, 0);
    }

    /** Reads the rest of the body, hashing it. */
    void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashed as read
        }
    }

    /** Bytes read so far. */
    long count() {
        return this.count;
    }

    /** Whether the body was read to its end. */
    boolean ended() {
        return this.ended;
    }

    /** The hex SHA-256 of the bytes read so far. */
    String hex() {
        try {
            return java.util.HexFormat.of().formatHex(((MessageDigest) this.sha.clone()).digest());
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
