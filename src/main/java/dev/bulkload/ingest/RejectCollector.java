package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;

import dev.bulkload.row.Reject;

/** Counts a load's rejects, keeps the first ones for the report, and stops the load past maxErrors. */
final class RejectCollector {

    private final int maxReported;

    private final Integer maxErrors;

    private final List<Reject> kept = new ArrayList<>();

    private long count;

    RejectCollector(int maxReported, Integer maxErrors) {
        this.maxReported = maxReported;
        this.maxErrors = maxErrors;
    }

    void reject(Reject reject) {
        this.count++;
        if (this.kept.size() < this.maxReported) {
            this.kept.add(reject);
        }
        if (this.maxErrors != null && this.count > this.maxErrors) {
            throw new TooManyRejectsException(this.maxErrors, List.copyOf(this.kept));
        }
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
