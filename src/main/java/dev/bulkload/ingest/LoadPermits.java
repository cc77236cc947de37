package dev.bulkload.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Admits at most {@code bulkload.load.max-concurrent-loads} loads at once (each holds a database
 * connection for its whole run); a load that finds no permit within the queue timeout is turned
 * away with 503 and Retry-After instead of queuing without bound. An identified caller may hold at
 * most {@code bulkload.load.max-loads-per-caller} of them: one more is turned away at once with 429.
 */
@Component
class LoadPermits {

    private final Semaphore permits;

    private static final Logger logger = LoggerFactory.getLogger(LoadPermits.class);

    private final LoadProperties properties;

    private final int maxLoads;

    private final Map<String, Integer> byCaller = new HashMap<>();

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

    /**
     * Takes a permit; release it with {@link #release(String)}.
     * @param caller the authenticated caller, or null when callers cannot be told apart (security off)
     */
    void acquire(String caller) {
        if (caller != null) {
            synchronized (this.byCaller) {
                int running = this.byCaller.getOrDefault(caller, 0);
                if (running >= this.properties.maxLoadsPerCaller()) {
                    throw new CallerShareException(this.properties.maxLoadsPerCaller(),
                            this.properties.retryAfter().toSeconds());
                }
                this.byCaller.put(caller, running + 1);
            }
        }
        boolean acquired;
        try {
            acquired = this.permits.tryAcquire(this.properties.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            forget(caller);
            throw new LoadCapacityException(this.maxLoads, this.properties.retryAfter().toSeconds());
        }
    }

    void release(String caller) {
        this.permits.release();
        forget(caller);
    }

    /**
     * Takes {@code extra} more permits for a load that already holds one and writes on {@code extra} more
     * connections ({@code parallel}): each counts against the caller's share (429 past it, at once) and the load
     * slots (503 when they do not come free within the queue timeout). All or none; release with
     * {@link #releaseExtra}.
     */
    void acquireExtra(String caller, int extra) {
        if (extra <= 0) {
            return;
        }
        if (caller != null) {
            synchronized (this.byCaller) {
                int running = this.byCaller.getOrDefault(caller, 0);
                if (running + extra > this.properties.maxLoadsPerCaller()) {
                    // the load's own slot is counted in running already
                    throw CallerShareException.forWriters(extra + 1, running, this.properties.maxLoadsPerCaller(),
                            this.properties.retryAfter().toSeconds());
                }
                this.byCaller.put(caller, running + extra);
            }
        }
        boolean acquired;
        try {
            acquired = this.permits.tryAcquire(extra, this.properties.queueTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            forget(caller, extra);
            throw new LoadCapacityException(this.maxLoads, this.properties.retryAfter().toSeconds());
        }
    }

    void releaseExtra(String caller, int extra) {
        if (extra <= 0) {
            return;
        }
        this.permits.release(extra);
        forget(caller, extra);
    }

    /** Slots a load may ever hold at once: the concurrent loads, as bounded by the pool. */
    int maxLoads() {
        return this.maxLoads;
    }

    private void forget(String caller, int count) {
        for (int i = 0; i < count; i++) {
            forget(caller);
        }
    }

    private void forget(String caller) {
        if (caller != null) {
            synchronized (this.byCaller) {
                this.byCaller.computeIfPresent(caller, (name, running) -> (running > 1) ? running - 1 : null);
            }
        }
    }
}
