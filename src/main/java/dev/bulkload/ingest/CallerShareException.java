package dev.bulkload.ingest;

/** A caller already runs as many loads as one caller may: the others' share of the slots stays free. */
public class CallerShareException extends RuntimeException {

    private final int maxLoadsPerCaller;

    private final long retryAfterSeconds;

    CallerShareException(int maxLoadsPerCaller, long retryAfterSeconds) {
        super("This caller already runs " + maxLoadsPerCaller + " loads, the most one caller may run at once; "
                + "retry when one has finished");
        this.maxLoadsPerCaller = maxLoadsPerCaller;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int maxLoadsPerCaller() {
        return this.maxLoadsPerCaller;
    }

    public long retryAfterSeconds() {
        return this.retryAfterSeconds;
    }
}
