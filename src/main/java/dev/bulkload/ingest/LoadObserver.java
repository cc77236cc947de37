package dev.bulkload.ingest;

import java.util.UUID;

/** Hears what a running load has done so far, for whoever may have to answer it before it ends (a shutdown). */
public interface LoadObserver {

    /** No one listens. */
    LoadObserver NONE = (rows) -> {
    };

    /** The load was registered under {@code id}. */
    default void registered(UUID id) {
    }

    /** Rows committed so far, after each commit of a non-atomic load. */
    void committed(long rows);
}
