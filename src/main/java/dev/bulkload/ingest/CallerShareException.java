package dev.bulkload.ingest;

/** A caller already runs as many loads as one caller may: the others' share of the slots stays free. */
public class CallerShareException extends RuntimeException {

    private final int maxLoadsPerCaller;

    private final long retryAfterSeconds;

    CallerShareException(int maxLoadsPerCaller, long retryAfterSeconds) {
        this("This caller already runs " + maxLoadsPerCaller + " loads, the most one caller may run at once; "
                + "retry when one has finished", maxLoadsPerCaller, retryAfterSeconds);
    }

    private CallerShareException(String message, int maxLoadsPerCaller, long retryAfterSeconds) {
        super(message);
        this.maxLoadsPerCaller = maxLoadsPerCaller;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A parallel load's further writers would take the caller past its share of the load slots. */
    static CallerShareException forWriters(int parallel, int running, int maxLoadsPerCaller, long retryAfterSeconds) {
        return new CallerShareException("A load with parallel=" + parallel + " takes " + parallel + " of this "
                + "caller's " + maxLoadsPerCaller + " load slots, and " + running + " are taken; retry when loads "
                + "have finished, or with a smaller parallel", maxLoadsPerCaller, retryAfterSeconds);
    }

    public int maxLoadsPerCaller() {
        return this.maxLoadsPerCaller;
    }

    public long retryAfterSeconds() {
        return this.retryAfterSeconds;
    }
}
