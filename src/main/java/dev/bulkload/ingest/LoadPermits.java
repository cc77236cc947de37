package dev.bulkload.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Admits at most {@code bulkload.load.max-concurrent-loads} loads at once (each holds a database
 * connection for its whole run); a load that finds no permit within the queue timeout is turned
 * away with 503 and Retry-After instead of queuing without bound.
 */
@Component
class LoadPermits {

    private final Semaphore permits;

    private static final Logger logger = LoggerFactory.getLogger(LoadPermits.class);

    private final LoadProperties properties;

    private final int maxLoads;

    LoadPermits(LoadProperties properties, Environment environment) {
        this.properties = properties;
        int pool = environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10);
        int loads = properties.maxConcurrentLoads();
        if (loads >= pool) {
            // each load holds a connection; leave one for catalog lookups and health checks
            loads = Math.max(1, pool - 1);
            logger.warn("bulkload.load.max-concurrent-loads={} is not below the pool size {}; using {}",
                    properties.maxConcurrentLoads(), pool, loads);
        }
        this.permits = new Semaphore(loads, true);
        this.maxLoads = loads;
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
            throw new LoadCapacityException(this.maxLoads,
                    this.properties.retryAfter().toSeconds());
        }
    }

    void release() {
        this.permits.release();
    }
}
