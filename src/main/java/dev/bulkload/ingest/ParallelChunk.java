package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;

import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.Reject;

/**
 * One chunk of a parallel load on its way from the reading thread to a writer connection: its rows in a ledger,
 * the records the reader refused among them, where it lies in the body and (with an Idempotency-Key) the hash of
 * its records. A load has a fixed number of them, reused, which bounds what it holds in memory.
 */
final class ParallelChunk {

    private final ChunkLedger ledger;

    private final List<Reject> readerRejects = new ArrayList<>();

    /** Memory the reader rejects hold, counted against the chunk's byte budget. */
    private long readerRejectBytes;

    private int number;

    private long byteFrom;

    private long byteTo;

    private byte[] sha256;

    ParallelChunk(boolean keepRaw) {
        this.ledger = new ChunkLedger(keepRaw);
    }

    /** Empties the chunk to be cut again as {@code number}, starting at {@code byteFrom} of the body. */
    void reset(int number, long byteFrom) {
        this.ledger.clear();
        this.readerRejects.clear();
        this.readerRejectBytes = 0;
        this.number = number;
        this.byteFrom = byteFrom;
        this.byteTo = byteFrom;
        this.sha256 = null;
    }

    /** The chunk was cut: where the body stood, and the hash of its records (null without a ledger). */
    void cut(long byteTo, byte[] sha256) {
        this.byteTo = byteTo;
        this.sha256 = sha256;
    }

    void readerReject(Reject reject) {
        this.readerRejects.add(reject);
        this.readerRejectBytes += 2L * (reject.message().length() + ((reject.raw() != null) ? reject.raw().length() : 0))
                + 64;
    }

    ChunkLedger ledger() {
        return this.ledger;
    }

    List<Reject> readerRejects() {
        return this.readerRejects;
    }

    /** Records in the chunk: rows and refused records. */
    long received() {
        return this.ledger.rows() + this.readerRejects.size();
    }

    /** Memory held: the ledger's and the reader rejects'. */
    long bytes() {
        return this.ledger.bytes() + this.readerRejectBytes;
    }

    /** The chunk's first record, written or refused; 0 when empty. */
    long firstRecord() {
        long first = (this.ledger.rows() > 0) ? this.ledger.record(0) : Long.MAX_VALUE;
        first = this.readerRejects.isEmpty() ? first : Math.min(first, this.readerRejects.get(0).record());
        return (first == Long.MAX_VALUE) ? 0 : first;
    }

    /** The chunk's last record, written or refused; 0 when empty. */
    long lastRecord() {
        long last = (this.ledger.rows() > 0) ? this.ledger.record(this.ledger.rows() - 1) : 0;
        return this.readerRejects.isEmpty() ? last
                : Math.max(last, this.readerRejects.get(this.readerRejects.size() - 1).record());
    }

    int number() {
        return this.number;
    }

    long byteFrom() {
        return this.byteFrom;
    }

    long byteTo() {
        return this.byteTo;
    }

    byte[] sha256() {
        return this.sha256;
    }
}
