package dev.bulkload.ingest;

/** Builds the failed-load exception the service throws, for tests of how other packages answer it. */
public final class LoadFailures {

    private LoadFailures() {
    }

    /** An atomic load of {@code table} that stopped on {@code cause} with nothing committed. */
    public static LoadFailedException atomic(String table, RuntimeException cause) {
        return new LoadFailedException(cause, java.util.UUID.randomUUID(), table, 0, null);
    }
}
