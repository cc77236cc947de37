package dev.bulkload.registry;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the registry's background work while the service runs: {@link ProgressWriter} every
 * {@code progress-interval}, {@link LoadHousekeeping} every {@code housekeeping-interval}, each on a thread of its
 * own so a long purge never delays progress.
 */
@Component
class RegistryJobs implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(RegistryJobs.class);

    private final ProgressWriter progress;

    private final LoadHousekeeping housekeeping;

    private final LoadsProperties properties;

    private volatile ScheduledExecutorService executor;

    RegistryJobs(ProgressWriter progress, LoadHousekeeping housekeeping, LoadsProperties properties) {
        this.progress = progress;
        this.housekeeping = housekeeping;
        this.properties = properties;
    }

    @Override
    public void start() {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (task) -> {
            Thread thread = new Thread(task, "load-registry");
            thread.setDaemon(true);
            return thread;
        });
        long progressMillis = this.properties.progressInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guarded(this.progress::run), progressMillis, progressMillis,
                TimeUnit.MILLISECONDS);
        long housekeepingMillis = this.properties.housekeepingInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guarded(this.housekeeping::run), housekeepingMillis, housekeepingMillis,
                TimeUnit.MILLISECONDS);
        this.executor = scheduler;
    }

    @Override
    public void stop() {
        ScheduledExecutorService scheduler = this.executor;
        this.executor = null;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Stops after the web server, so loads still answering at shutdown keep their heartbeat. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return this.executor != null;
    }

    /** A job that throws would never run again: log and go on. */
    private static Runnable guarded(Runnable job) {
        return () -> {
            try {
                job.run();
            }
            catch (RuntimeException ex) {
                logger.warn("Load registry job failed: {}", ex.getMessage());
            }
        };
    }
}
