package dev.bulkload.ingest;

import java.util.UUID;

/**
 * Hears what a running load has done so far, and is asked before each of its commits, for whoever may have to
 * answer it before it ends (a shutdown): no commit happens once the shutdown has stopped the load.
 */
public interface LoadObserver {

    /** No one listens; every commit may go ahead. */
    LoadObserver NONE = new LoadObserver() {
    };

    /** The load was registered under {@code id}. */
    default void registered(UUID id) {
    }

    /** How to cancel the statement the load's connection runs now, once it has one. */
    default void cancellable(Runnable cancel) {
    }

    /**
     * The load is about to COMMIT.
     * @throws LoadStoppedException when the service stopped the load: it must roll back instead
     */
    default void committing() {
    }

    /** Whether a shutdown stopped the load: whatever it fails with now, that is why. */
    default boolean stopped() {
        return false;
    }

    /**
     * The COMMIT announced by {@link #committing} ended.
     * @param committed whether it committed, so far as the load knows
     * @param rows rows committed so far by the load
     * @param throughRecord the last record committed so far, null for none
     * @param last whether it was the load's last transaction
     */
    default void commitEnded(boolean committed, long rows, Long throughRecord, boolean last) {
    }
}
