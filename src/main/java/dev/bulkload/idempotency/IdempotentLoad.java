package dev.bulkload.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ProblemDetail;

import dev.bulkload.registry.IdempotencyKeys;
import dev.bulkload.registry.KeyedLoad;
import dev.bulkload.registry.LedgerChunk;
import dev.bulkload.registry.LoadCounts;
import dev.bulkload.registry.RegisteredLoad;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.session.LoadSession;

/**
 * One load's Idempotency-Key, from the moment it is claimed to the answer recorded for a retry: the body's
 * fingerprint, a non-atomic load's per-chunk ledger, the resumption of an earlier attempt, and which failures a
 * retry gets again. {@link #NONE} for a load without a key: every hook does nothing.
 */
public class IdempotentLoad {

    private static final Logger logger = LoggerFactory.getLogger(IdempotentLoad.class);

    /** A load without an Idempotency-Key. */
    static final IdempotentLoad NONE = new IdempotentLoad();

    private final IdempotencyKeys keys;

    private final String key;

    private final Fingerprint fingerprint;

    private final KeyedRequest request;

    /** The earlier attempt this one resumes, or null. */
    private final KeyedLoad earlier;

    /** The first rejects of the earlier attempt's committed chunks, for the report. */
    private final List<Reject> earlierRejects;

    private BodyDigest body;

    private LedgerReader ledger;

    private int chunkNumber;

    private long lastRecord;

    private long received;

    private WriteCounts counts = WriteCounts.NONE;

    private long rejected;

    private long byteFrom;

    private IdempotentLoad() {
        this(null, null, null, null, null, List.of());
    }

    IdempotentLoad(IdempotencyKeys keys, String key, Fingerprint fingerprint, KeyedRequest request,
            KeyedLoad earlier, List<Reject> earlierRejects) {
        this.earlierRejects = List.copyOf(earlierRejects);
        this.keys = keys;
        this.key = key;
        this.fingerprint = fingerprint;
        this.request = request;
        this.earlier = earlier;
        if (earlier != null) {
            LoadCounts done = earlier.committedCounts();
            this.chunkNumber = earlier.chunks().size();
            this.lastRecord = earlier.committedThrough();
            this.received = done.rowsReceived();
            this.counts = new WriteCounts(done.rowsInserted(), done.rowsUpdated(), done.rowsSkipped());
            this.rejected = done.rowsRejected();
            this.byteFrom = earlier.chunks().isEmpty() ? 0 : earlier.chunks().get(earlier.chunks().size() - 1).byteTo();
        }
    }

    private boolean keyed() {
        return this.key != null;
    }

    private boolean ledgered() {
        return keyed() && !this.request.atomic() && !this.request.dryRun();
    }

    /** The body as the load reads it: hashed as it passes, when the load has a key. */
    public InputStream body(InputStream raw) {
        if (!keyed()) {
            return raw;
        }
        this.body = new BodyDigest(raw);
        return this.body;
    }

    /** The reader as the load reads it: a non-atomic load with a key hashes its records and skips committed ones. */
    public RowReader reader(RowReader reader) {
        if (!ledgered()) {
            return reader;
        }
        this.ledger = new LedgerReader(reader, this.key,
                (this.earlier != null) ? this.earlier.chunks() : List.of());
        return this.ledger;
    }

    /**
     * The first record this attempt loads, when it resumes an earlier one; else null. After a parallel load's
     * ledger with a gap, the gap's first record.
     */
    public Long resumedFromRecord() {
        return (this.earlier != null) ? this.earlier.firstMissingRecord() : null;
    }

    /**
     * For a parallel load: the first record of the next chunk an earlier attempt committed that the reader has
     * not passed yet, {@link Long#MAX_VALUE} when none (or without a ledger). A chunk cut from the body ends before
     * it, so that no chunk of this attempt holds records of the earlier one's.
     */
    public long nextCommittedRecord() {
        return (this.ledger != null) ? this.ledger.nextCommittedRecord() : Long.MAX_VALUE;
    }

    /**
     * For a parallel load, on the reading thread as a chunk is cut: the SHA-256 of its records through
     * {@code lastRecord} (the next chunk's hash starts after them); null without a ledger.
     */
    public byte[] cutChunk(long lastRecord) {
        return (this.ledger != null) ? this.ledger.chunkDigest(lastRecord) : null;
    }

    /** For a parallel load: the number its first new chunk takes in the ledger (after the earlier attempt's). */
    public int firstChunkNumber() {
        return (this.earlier != null) ? this.earlier.nextChunkNumber() : 1;
    }

    /** The earlier attempt's committed chunks this one resumes after (none for a new load). */
    public List<LedgerChunk> earlierChunks() {
        return (this.earlier != null) ? this.earlier.chunks() : List.of();
    }

    /**
     * For a parallel load, in the transaction of one of its chunks just before its COMMIT (chunks commit in any
     * order, one at a time): the chunk's ledger row, cut and counted by the caller, and the key.
     */
    public void chunkCommitting(LoadSession session, RegisteredLoad entry, LedgerChunk chunk) {
        if (!ledgered() || chunk.rowsReceived() == 0) {
            return;
        }
        this.keys.chunkCommitting(session, entry.id(), this.key, this.fingerprint.toString(), resumedFromRecord(),
                chunk);
    }

    /** The last record the earlier attempt committed, when this one resumes it with some; else null. */
    public Long committedThroughRecord() {
        return (this.earlier != null && this.lastRecord > 0) ? this.lastRecord : null;
    }

    /** A resumed load counts from where the earlier attempt's committed chunks left off. */
    public void resume(ResumableWrite chunks, ResumableRejects rejects) {
        if (this.earlier == null) {
            return;
        }
        chunks.resumeAfter(this.received, this.counts, this.earlier.committedCounts().batches(), this.lastRecord);
        if (rejects != null) {
            rejects.resumeAfter(this.rejected, this.earlierRejects);
        }
    }

    /** In an atomic load's transaction, just before its COMMIT: the key and the whole body's fingerprint. */
    public void committing(LoadSession session, RegisteredLoad entry) {
        if (!keyed()) {
            return;
        }
        drain();
        this.keys.keyInTransaction(session, entry.id(), this.key, this.fingerprint.withBody(this.body).toString());
    }

    /**
     * In a non-atomic load's chunk transaction, just before its COMMIT: the chunk's ledger row and the key.
     * @param bytesRead body bytes read so far
     */
    public void chunkCommitting(LoadSession session, RegisteredLoad entry, ResumableWrite chunks, long bytesRead) {
        if (!ledgered()) {
            return;
        }
        long chunkReceived = chunks.rowsReceived() - this.received;
        if (chunkReceived == 0) {
            return;
        }
        long last = chunks.lastRecordReceived();
        WriteCounts written = chunks.counts();
        long inserted = written.inserted() - this.counts.inserted();
        long updated = written.updated() - this.counts.updated();
        long skipped = written.skipped() - this.counts.skipped();
        LedgerChunk chunk = new LedgerChunk(this.chunkNumber + 1, this.lastRecord + 1, last, this.byteFrom,
                bytesRead, this.ledger.chunkDigest(last), chunkReceived, inserted, updated, skipped,
                chunkReceived - inserted - updated - skipped);
        this.keys.chunkCommitting(session, entry.id(), this.key, this.fingerprint.toString(), resumedFromRecord(),
                chunk);
        // what the next chunk counts from; should this COMMIT fail, the load fails with it
        this.chunkNumber++;
        this.lastRecord = last;
        this.received = chunks.rowsReceived();
        this.counts = written;
        this.byteFrom = bytesRead;
    }

    /** The load succeeded: its report is the answer a retry gets again. */
    public void succeeded(RegisteredLoad entry, Object report) {
        if (!keyed()) {
            return;
        }
        try {
            this.body.drain();
        }
        catch (IOException | RuntimeException ex) {
            // the load succeeded; what follows its payload only decides how much of the body the fingerprint covers
            logger.debug("Load {}: the body's end could not be read for its fingerprint: {}", entry.id(),
                    ex.getMessage());
        }
        this.keys.respond(entry.id(), this.key, this.fingerprint.withBody(this.body).toString(), 200, report);
    }

    /**
     * The load failed. Its problem is the answer a retry gets again when the failure is final (about the request
     * itself, or a cancel); otherwise a retry runs (and a non-atomic load resumes).
     * @param loadId the load's id, null when it failed before it had one
     * @param problem the problem it was answered with, null when none was built
     * @param finalFailure whether a retry is to get this answer again
     */
    public void failed(UUID loadId, ProblemDetail problem, boolean finalFailure) {
        if (!keyed() || loadId == null || problem == null || !finalFailure) {
            return;
        }
        this.keys.respond(loadId, this.key, this.fingerprint.withBody(this.body).toString(), problem.getStatus(),
                problemMap(problem));
    }

    private void drain() {
        try {
            this.body.drain();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Map<String, Object> problemMap(ProblemDetail problem) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", String.valueOf(problem.getType()));
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        map.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            map.put("instance", String.valueOf(problem.getInstance()));
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }
}
