package dev.bulkload.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Records the bulkload meters. Tags are bounded: table names come from the allow-listed catalog,
 * the rest from enums; never a file name, an id or free text. Each meter is built once per set of
 * tags and kept: a load records about eight measurements, and building a meter's id for each of
 * them cost more than the rest of a small load's bookkeeping.
 */
@Component
public class LoadMetrics {

    private final MeterRegistry registry;

    private final AtomicInteger active = new AtomicInteger();

    /** The meters recorded so far, by name and tag values (bounded like the tags). */
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    LoadMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("bulkload.loads.active", this.active, AtomicInteger::get)
            .description("Loads in progress")
            .register(registry);
    }

    /** Marks a load as started; pair with {@link #loadEnded()}. */
    public void loadStarted() {
        this.active.incrementAndGet();
    }

    public void loadEnded() {
        this.active.decrementAndGet();
    }

    /** Counts a load that ended, by its table and final status: succeeded, failed or cancelled. */
    public void loadFinished(String table, String status) {
        meter(List.of("bulkload.loads", table, status), () -> Counter.builder("bulkload.loads")
            .description("Loads that ended, by final status")
            .tags("table", table, "status", status)
            .register(this.registry))
            .increment();
    }

    /** Counts rows by outcome: inserted, updated, skipped or rejected. */
    public void rows(String table, String mode, String outcome, long count) {
        meter(List.of("bulkload.rows", table, mode, outcome), () -> Counter.builder("bulkload.rows")
            .description("Rows by outcome")
            .tags("table", table, "mode", mode, "outcome", outcome)
            .register(this.registry))
            .increment(count);
    }

    public void bytes(String table, String format, long bytes) {
        meter(List.of("bulkload.bytes", table, format), () -> Counter.builder("bulkload.bytes")
            .description("Request body bytes read")
            .baseUnit("bytes")
            .tags("table", table, "format", format)
            .register(this.registry))
            .increment(bytes);
    }

    /** Times a whole load and, when it succeeded, records its throughput. */
    public void load(String table, String format, String method, boolean success, long nanos, double rowsPerSecond) {
        String outcome = success ? "success" : "failure";
        meter(List.of("bulkload.load", table, format, method, outcome), () -> Timer.builder("bulkload.load")
            .description("Duration of whole loads")
            .tags("table", table, "format", format, "method", method, "outcome", outcome)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(2))
            .register(this.registry))
            .record(nanos, TimeUnit.NANOSECONDS);
        if (success) {
            meter(List.of("bulkload.load.throughput", table, method),
                    () -> DistributionSummary.builder("bulkload.load.throughput")
                        .description("Rows per second of each finished load")
                        .tags("table", table, "method", method)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(1.0)
                        .maximumExpectedValue(10_000_000.0)
                        .register(this.registry))
                .record(rowsPerSecond);
        }
    }

    /** Times one chunk written to the database. */
    public void batch(String table, String method, long nanos) {
        meter(List.of("bulkload.batch", table, method), () -> Timer.builder("bulkload.batch")
            .description("Duration of one chunk written to the database")
            .tags("table", table, "method", method)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(this.registry))
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The meter kept under {@code key} (its name and tag values), registered by {@code register} the first time. */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(List<String> key, Supplier<M> register) {
        return (M) this.meters.computeIfAbsent(key, (k) -> register.get());
    }
}
