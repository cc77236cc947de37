package dev.bulkload.idempotency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import dev.bulkload.registry.LedgerChunk;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.RecordTooLargeException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowRejectedException;

/**
 * The reader of a non-atomic load with an Idempotency-Key: hashes every record as the reader decoded it (its
 * present values, or why it was refused), so each chunk's ledger row carries the SHA-256 of its records; and, when
 * the load resumes an earlier attempt, reads the records that attempt committed without handing them on, checking
 * each committed chunk against its hash. The hash is of decoded records, not of bytes, so it is the same for a
 * gzip body and its plain text, and independent of where reads happened to cut the body. The committed chunks
 * need not be a prefix of the body: a parallel load commits chunks out of order, so a resume reads past each
 * committed range and hands on the records between them ({@link #nextCommittedRecord} tells where the next range
 * starts, so that no new chunk runs into it).
 */
final class LedgerReader implements RowReader {

    private final RowReader reader;

    private final String key;

    private final MessageDigest sha = BodyDigest.sha256();

    private final ByteBuffer number = ByteBuffer.allocate(8);

    /** Committed chunks of the earlier attempt still to be read and checked, in record order. */
    private final Deque<LedgerChunk> toVerify;

    private final long resumeThrough;

    /**
     * The row handed on last, not hashed yet: it may be the first of the next chunk. Nothing changes a row between
     * two reads (checks and the chunk ledger only read it), so it is hashed as the reader decoded it.
     */
    private Row pending;

    private long pendingRecord;

    /**
     * @param committed the earlier attempt's ledger, empty when this is the first
     */
    LedgerReader(RowReader reader, String key, List<LedgerChunk> committed) {
        this.reader = reader;
        this.key = key;
        List<LedgerChunk> inRecordOrder = new java.util.ArrayList<>(committed);
        inRecordOrder.sort(java.util.Comparator.comparingLong(LedgerChunk::firstRecord));
        this.toVerify = new ArrayDeque<>(inRecordOrder);
        this.resumeThrough = inRecordOrder.stream().mapToLong(LedgerChunk::lastRecord).max().orElse(0);
    }

    /**
     * The first record of the next committed chunk not read yet, {@link Long#MAX_VALUE} when none is left: a new
     * chunk ends before it.
     */
    long nextCommittedRecord() {
        LedgerChunk next = this.toVerify.peek();
        return (next != null) ? next.firstRecord() : Long.MAX_VALUE;
    }

    /** Whether the record belongs to a committed chunk (records are read in order: only the next one can hold it). */
    private boolean committed(long record) {
        LedgerChunk next = this.toVerify.peek();
        return next != null && record >= next.firstRecord() && record <= next.lastRecord();
    }

    @Override
    public boolean next(Row row) {
        foldPending();
        while (true) {
            boolean read;
            try {
                read = this.reader.next(row);
            }
            catch (MalformedRecordException | RecordTooLargeException | RowRejectedException ex) {
                // a refused record belongs to the chunk being filled: hashed now
                hashRefusal(ex);
                if (ex.record() != null && committed(ex.record())) {
                    verifyAt(ex.record());
                    continue;
                }
                throw ex;
            }
            if (!read) {
                if (!this.toVerify.isEmpty()) {
                    throw mismatch("the body ends before record " + this.resumeThrough
                            + ", which an earlier attempt with this key committed");
                }
                return false;
            }
            if (committed(row.record())) {
                hashRow(row);
                verifyAt(row.record());
                continue;
            }
            this.pending = row;
            this.pendingRecord = row.record();
            return true;
        }
    }

    /**
     * The SHA-256 of the records through {@code lastRecord} not yet in a chunk's hash; the next chunk's hash
     * starts after them.
     */
    byte[] chunkDigest(long lastRecord) {
        if (this.pending != null && this.pendingRecord <= lastRecord) {
            foldPending();
        }
        return this.sha.digest();
    }

    private void foldPending() {
        if (this.pending != null) {
            hashRow(this.pending);
            this.pending = null;
        }
    }

    private void verifyAt(long record) {
        LedgerChunk chunk = this.toVerify.peek();
        if (chunk != null && record == chunk.lastRecord()) {
            if (!Arrays.equals(this.sha.digest(), chunk.sha256())) {
                throw mismatch("records " + chunk.firstRecord() + " to " + chunk.lastRecord()
                        + " differ from those an earlier attempt with this key committed");
            }
            this.toVerify.poll();
        }
    }

    private IdempotencyKeyMismatchException mismatch(String what) {
        return new IdempotencyKeyMismatchException(this.key,
                "This Idempotency-Key was used for a different body: " + what + "; nothing was written");
    }

    private void hashRow(Row row) {
        this.sha.update((byte) 'R');
        hashNumber(row.record());
        byte[] data = row.data();
        for (int column = 0; column < row.columnCount(); column++) {
            if (!row.isPresent(column)) {
                continue;
            }
            hashNumber(column);
            if (row.isNull(column)) {
                this.sha.update((byte) 'N');
            }
            else {
                this.sha.update((byte) 'V');
                hashNumber(row.length(column));
                this.sha.update(data, row.start(column), row.length(column));
            }
        }
    }

    private void hashRefusal(PayloadException ex) {
        this.sha.update((byte) 'X');
        hashNumber((ex.record() != null) ? ex.record() : -1);
        byte[] message = String.valueOf(ex.getMessage()).getBytes(StandardCharsets.UTF_8);
        hashNumber(message.length);
        this.sha.update(message);
    }

    private void hashNumber(long value) {
        this.number.clear();
        this.number.putLong(value);
        this.sha.update(this.number.array());
    }

    @Override
    public void close() throws IOException {
        this.reader.close();
    }
}
