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
