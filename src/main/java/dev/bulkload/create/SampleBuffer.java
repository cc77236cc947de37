package dev.bulkload.create;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a payload, kept while it is sampled and then given back: each sampling pass reads the payload from
 * its first byte (what earlier passes read, then more of the source, kept too) and sees its end at {@code maxBytes};
 * the load then reads the kept bytes followed by the rest of the source, exactly the payload as it came, and each
 * kept block is let go once read. At most {@code maxBytes} are held, in blocks of 64 KiB.
 */
public final class SampleBuffer {

    private static final int BLOCK = 64 * 1024;

    private final InputStream source;

    private final long maxBytes;

    private final List<byte[]> blocks = new ArrayList<>();

    private long size;

    private boolean sourceEnded;

    private boolean capped;

    private boolean replayed;

    /**
     * @param source the payload as the readers take it (decompressed, UTF-8)
     * @param maxBytes the most bytes kept
     */
    public SampleBuffer(InputStream source, long maxBytes) {
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /** The payload from its first byte, ending at the end of the source or at {@code maxBytes}; closing it does nothing. */
    InputStream sampling() {
        if (this.replayed) {
            throw new IllegalStateException("The sample was handed to the load already");
        }
        return new InputStream() {

            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (this.position == SampleBuffer.this.size && !fill()) {
                    return -1;
                }
                int n = copy(this.position, target, offset, length);
                this.position += n;
                return n;
            }
        };
    }

    /** Whether a sampling pass met {@code maxBytes} before the end of the payload. */
    boolean capped() {
        return this.capped;
    }

    /** The whole payload: the kept bytes, then the rest of the source; read once, by the load. */
    public InputStream payload() {
        this.replayed = true;
        return new InputStream() {

            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (this.position < SampleBuffer.this.size) {
                    int n = copy(this.position, target, offset, length);
                    long before = this.position;
                    this.position += n;
                    // a block read to its end is not needed again
                    for (long b = before / BLOCK; b < this.position / BLOCK; b++) {
                        SampleBuffer.this.blocks.set((int) b, null);
                    }
                    return n;
                }
                if (SampleBuffer.this.sourceEnded) {
                    return -1;
                }
                return SampleBuffer.this.source.read(target, offset, length);
            }

            @Override
            public void close() throws IOException {
                SampleBuffer.this.blocks.clear();
                SampleBuffer.this.source.close();
            }
        };
    }

    /** Reads more of the source into the kept bytes; false at the end of the source or of the room. */
    private boolean fill() throws IOException {
        if (this.sourceEnded) {
            return false;
        }
        if (this.size >= this.maxBytes) {
            this.capped = true;
            return false;
        }
        int offset = (int) (this.size % BLOCK);
        if (offset == 0) {
            this.blocks.add(new byte[BLOCK]);
        }
        byte[] block = this.blocks.get(this.blocks.size() - 1);
        int room = (int) Math.min(BLOCK - offset, this.maxBytes - this.size);
        int n = this.source.read(block, offset, room);
        if (n < 0) {
            this.sourceEnded = true;
            return false;
        }
        this.size += n;
        return n > 0 || fill();
    }

    private int copy(long position, byte[] target, int offset, int length) {
        byte[] block = this.blocks.get((int) (position / BLOCK));
        int start = (int) (position % BLOCK);
        int n = (int) Math.min(length, Math.min(BLOCK - start, this.size - position));
        System.arraycopy(block, start, target, offset, n);
        return n;
    }
}
