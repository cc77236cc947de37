package dev.bulkload.ingest;

import dev.bulkload.body.CountingInputStream;
import dev.bulkload.registry.LoadCounts;
import dev.bulkload.registry.RegisteredLoad;
import dev.bulkload.row.WriteCounts;

/**
 * What a running load tells its registry entry, from the load's own thread: its counts every few rows and
 * at each chunk's end (cheap: the registry's progress writer takes them from there), its rejects for storage, and
 * whether someone cancelled it.
 */
final class LoadProgress {

    /**
     * Rows between two publications of the counts (and looks at the cancel flag): few enough that a client sending
     * slowly is seen to progress, many enough to cost nothing per row.
     */
    private static final int ROWS_BETWEEN_CHECKS = 16;

    private final RegisteredLoad entry;

    private final CountingInputStream body;

    private final RejectCollector rejects;

    private final boolean oneTransaction;

    private int rowsSinceCheck;

    /**
     * @param oneTransaction whether the whole load is one transaction (atomic or a dry run): its running row is
     * then written through the pool at its first chunk boundary; otherwise the first chunk's transaction writes it
     */
    LoadProgress(RegisteredLoad entry, CountingInputStream body, RejectCollector rejects, boolean oneTransaction) {
        this.entry = entry;
        this.body = body;
        this.rejects = rejects;
        this.oneTransaction = oneTransaction;
    }

    /** Before a chunk: a cancelled load stops here. */
    void chunkStarting() {
        if (this.entry.cancelRequested()) {
            throw new LoadCancelledException();
        }
    }

    /** A row was read: every few rows, the counts go out and a cancel is noticed. */
    void rowRead(long received, WriteCounts written, long batches) {
        if (++this.rowsSinceCheck < ROWS_BETWEEN_CHECKS) {
            return;
        }
        this.rowsSinceCheck = 0;
        chunkStarting();
        this.entry.progress(counts(received, written, batches));
    }

    /** A chunk was written (not yet committed): its rejects are stored, its counts go out. */
    void chunkEnded(long received, WriteCounts written, long batches, boolean more) {
        storeRejects();
        LoadCounts counts = counts(received, written, batches);
        if (this.oneTransaction && more) {
            this.entry.chunkEnded(counts);
        }
        else {
            this.entry.progress(counts);
        }
    }

    /** Stores the rejects not stored yet (also those of a load that failed). */
    void storeRejects() {
        if (this.rejects != null) {
            this.entry.storeRejects(this.rejects.drain());
        }
    }

    LoadCounts counts(long received, WriteCounts written, long batches) {
        return new LoadCounts(received, written.inserted(), written.updated(), written.skipped(),
                (this.rejects != null) ? this.rejects.count() : 0, batches, this.body.count());
    }
}
