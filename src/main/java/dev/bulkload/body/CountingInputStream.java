package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.bulkload.row.PayloadTooLargeException;

/** Counts the bytes read through it and fails with a 413 once they pass a limit. */
public final class CountingInputStream extends FilterInputStream {

    private final long limit;

    private final String what;

    private long count;

    public CountingInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    public long count() {
        return this.count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    private void add(long n) {
        this.count += n;
        if (this.count > this.limit) {
            throw new PayloadTooLargeException(this.what + " is larger than " + this.limit + " bytes");
        }
    }
}
