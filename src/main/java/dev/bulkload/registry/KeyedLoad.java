package dev.bulkload.registry;

import java.util.List;
import java.util.UUID;

/**
 * The load an Idempotency-Key was first used for, as the registry holds it.
 * @param id the load
 * @param status its status
 * @param atomic whether it ran as one transaction
 * @param fingerprint what it recorded of its request and body
 * @param responseStatus the status it answered with when that answer is to be replayed, else null
 * @param response the body of that answer (JSON), or, for a load that succeeded but whose answer was not
 * recorded, its report rebuilt from the row; null when there is nothing to replay
 * @param chunksCommitted transactions of the load that committed data
 * @param chunks its ledger, in chunk order (non-atomic loads)
 * @param attempt its latest attempt (1, then one more per retry that resumed it)
 * @param alive whether it runs now: its row says running and either its transaction holds the row or its replica
 *     wrote its heartbeat within {@code bulkload.loads.abandoned-after}
 */
public record KeyedLoad(UUID id, LoadStatus status, boolean atomic, String fingerprint, Integer responseStatus,
        String response, int chunksCommitted, List<LedgerChunk> chunks, int attempt, boolean alive) {

    public KeyedLoad {
        chunks = List.copyOf(chunks);
    }

    /** Whether it ended with an answer that a retry gets again: it succeeded, or failed for good. */
    public boolean replayable() {
        return this.response != null;
    }

    /** Whether it left nothing to go on from: no answer to replay and no committed chunk. */
    public boolean leftNothing() {
        return !replayable() && this.chunks.isEmpty();
    }

    /** The counts its committed chunks add up to. */
    public LoadCounts committedCounts() {
        long received = 0;
        long inserted = 0;
        long updated = 0;
        long skipped = 0;
        long rejected = 0;
        long batches = 0;
        for (LedgerChunk chunk : this.chunks) {
            received += chunk.rowsReceived();
            inserted += chunk.rowsInserted();
            updated += chunk.rowsUpdated();
            skipped += chunk.rowsSkipped();
            rejected += chunk.rowsRejected();
            batches += (chunk.rowsReceived() > 0) ? 1 : 0;
        }
        return new LoadCounts(received, inserted, updated, skipped, rejected, batches, 0);
    }

    /** The last record its committed chunks hold, 0 when none (a parallel load's ledger may have gaps before it). */
    public long committedThrough() {
        return this.chunks.stream().mapToLong(LedgerChunk::lastRecord).max().orElse(0);
    }

    /** The first record no committed chunk holds: after the last one, or in the first gap of a parallel load's. */
    public long firstMissingRecord() {
        long next = 1;
        for (LedgerChunk chunk : this.chunks.stream()
            .sorted(java.util.Comparator.comparingLong(LedgerChunk::firstRecord))
            .toList()) {
            if (chunk.firstRecord() > next) {
                return next;
            }
            next = Math.max(next, chunk.lastRecord() + 1);
        }
        return next;
    }

    /** The number a new chunk of this load takes: one more than any in its ledger. */
    public int nextChunkNumber() {
        return this.chunks.stream().mapToInt(LedgerChunk::chunk).max().orElse(0) + 1;
    }
}
