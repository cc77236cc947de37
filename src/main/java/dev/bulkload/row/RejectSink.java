package dev.bulkload.row;

/** Receives the rows refused while loading with {@code onError=skip}. */
@FunctionalInterface
public interface RejectSink {

    void reject(Reject reject);
}
