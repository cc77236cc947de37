package dev.bulkload.ingest;

/** Every load permit is taken: the client should retry after {@link #retryAfterSeconds()}. */
public class LoadCapacityException extends RuntimeException {

    private final long retryAfterSeconds;

    LoadCapacityException(int maxConcurrentLoads, long retryAfterSeconds) {
        super("The service is running its maximum of " + maxConcurrentLoads + " concurrent loads; retry later");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return this.retryAfterSeconds;
    }
}
