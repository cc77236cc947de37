package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * Cuts a request body whose client sends too slowly: a read the container timed out (nothing arrived
 * for the idle timeout) and an average rate below the minimum over a window. Only the time spent
 * waiting inside reads counts, so a load that pauses reading while the database writes a chunk is
 * never held against its client.
 */
final class UploadPace extends FilterInputStream {

    private final long minBytesPerSecond;

    private final long windowNanos;

    private long waitedNanos;

    private long bytes;

    UploadPace(InputStream in, long minBytesPerSecond, long windowNanos) {
        super(in);
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = windowNanos;
    }

    @Override
    public int read() throws IOException {
        long started = System.nanoTime();
        int b = timed(() -> super.read());
        account((b >= 0) ? 1 : 0, System.nanoTime() - started);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long started = System.nanoTime();
        int n = timed(() -> super.read(b, off, len));
        account(Math.max(n, 0), System.nanoTime() - started);
        return n;
    }

    private int timed(Read read) throws IOException {
        try {
            return read.read();
        }
        catch (IOException ex) {
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                if (cause instanceof SocketTimeoutException) {
                    throw new BodyTooSlowException("No byte of the request body arrived within the idle timeout",
                            ex);
                }
            }
            throw ex;
        }
    }

    private void account(long read, long waited) {
        if (this.minBytesPerSecond <= 0) {
            return;
        }
        this.bytes += read;
        this.waitedNanos += waited;
        if (this.waitedNanos >= this.windowNanos) {
            long rate = Math.round(this.bytes * 1e9 / this.waitedNanos);
            if (rate < this.minBytesPerSecond) {
                throw new BodyTooSlowException("The request body arrived at " + rate + " bytes/s, below the minimum of "
                        + this.minBytesPerSecond + " bytes/s", null);
            }
            this.bytes = 0;
            this.waitedNanos = 0;
        }
    }

    @FunctionalInterface
    private interface Read {

        int read() throws IOException;
    }
}
