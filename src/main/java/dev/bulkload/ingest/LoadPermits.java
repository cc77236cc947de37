package dev.bulkload.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Admits at most {@code bulkload.load.max-concurrent-loads} loads at once (each holds a database
 * connection for its whole run); a load that finds no permit within the queue timeout is turned
 * away with 503 and Retry-After instead of queuing without bound.
 */
@Component
class LoadPermits {

    private final Semaphore permits;

    private final LoadProperties properties;

    LoadPermits(LoadProperties properties) {
        this.properties = properties;
        this.permits = new Semaphore(properties.maxConcurrentLoads(), true);
    }

    /** Takes a permit; release it with {@link #release()}. */
    void acquire() {
        boolean acquired;
        try {
            acquired = this.permits.tryAcquire(this.properties.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new LoadCapacityException(this.properties.maxConcurrentLoads(),
                    this.properties.retryAfter().toSeconds());
        }
    }

    void release() {
        this.permits.release();
    }
}
