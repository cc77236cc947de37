package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;

import dev.bulkload.idempotency.ResumableRejects;
import dev.bulkload.row.Reject;

/**
 * Counts a load's rejects, keeps the first ones for the report, holds the ones not yet stored in the registry
 * (up to the number it stores), and stops the load past maxErrors.
 */
final class RejectCollector implements ResumableRejects {

    private final int maxReported;

    private final Integer maxErrors;

    private final long maxStored;

    private final List<Reject> kept = new ArrayList<>();

    private final List<Reject> unstored = new ArrayList<>();

    private long count;

    RejectCollector(int maxReported, Integer maxErrors, long maxStored) {
        this.maxReported = maxReported;
        this.maxErrors = maxErrors;
        this.maxStored = maxStored;
    }

    void reject(Reject reject) {
        this.count++;
        if (this.kept.size() < this.maxReported) {
            this.kept.add(reject);
        }
        if (this.count <= this.maxStored) {
            this.unstored.add(reject);
        }
        if (this.maxErrors != null && this.count > this.maxErrors) {
            throw new TooManyRejectsException(this.maxErrors, List.copyOf(this.kept));
        }
    }

    /**
     * A reject of a chunk that committed out of record order (a parallel load): counted and stored like any, and
     * the report keeps the first {@code maxReported} by record, whatever order they came in. maxErrors is the
     * caller's to check, before the chunk commits.
     */
    void rejectOutOfOrder(Reject reject) {
        this.count++;
        int at = insertionPoint(this.kept, reject.record());
        if (this.kept.size() < this.maxReported) {
            this.kept.add(at, reject);
        }
        else if (at < this.kept.size()) {
            this.kept.remove(this.kept.size() - 1);
            this.kept.add(at, reject);
        }
        if (this.count <= this.maxStored) {
            this.unstored.add(reject);
        }
    }

    /** The most rejects a load may have without failing; null for no limit. */
    Integer maxErrors() {
        return this.maxErrors;
    }

    /** The rejects kept for the report with {@code more} among them, in record order, as many as a report lists. */
    List<Reject> keptWith(List<Reject> more) {
        List<Reject> all = new ArrayList<>(this.kept);
        for (Reject reject : more) {
            all.add(insertionPoint(all, reject.record()), reject);
        }
        return List.copyOf(all.subList(0, Math.min(all.size(), this.maxReported)));
    }

    private static int insertionPoint(List<Reject> sorted, long record) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted.get(middle).record() <= record) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    /** The rejects not handed out before, for the registry to store; the collector forgets them. */
    List<Reject> drain() {
        if (this.unstored.isEmpty()) {
            return List.of();
        }
        List<Reject> drained = List.copyOf(this.unstored);
        this.unstored.clear();
        return drained;
    }

    /**
     * A resumed load's rejects so far: those of the chunks an earlier attempt committed (stored already), of which
     * {@code first} are listed in the report.
     */
    @Override
    public void resumeAfter(long rejected, List<Reject> first) {
        this.count = rejected;
        this.kept.addAll(first.subList(0, Math.min(first.size(), this.maxReported)));
    }

    long count() {
        return this.count;
    }

    List<Reject> kept() {
        return List.copyOf(this.kept);
    }

    boolean truncated() {
        return this.count > this.kept.size();
    }
}
