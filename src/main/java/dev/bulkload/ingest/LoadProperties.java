package dev.bulkload.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How loads are chunked.
 * @param batchSize rows per chunk when the request does not say
 * @param maxBatchSize the largest batchSize a request may ask for
 * @param batchBytes a chunk also ends once this many encoded bytes were written
 * @param maxRejectsReported the most rejects a report lists (all are counted)
 * @param rejectRawBytes how much of a rejected record's original text a reject shows
 * @param maxConcurrentLoads loads running at once; keep it below the connection pool size
 * @param queueTimeout how long a load waits for a permit before it is turned away with 503
 * @param admissionQueue loads admitted beyond {@code maxConcurrentLoads} to wait (up to {@code queueTimeout})
 *     for a slot; one more is answered 503 service-busy before its body is read or anything is allocated for it
 * @param maxOtherRequests requests other than loads and health probes (table listings, API docs, metrics) served
 *     at once; one more is answered 503 server-busy at once
 * @param retryAfter the Retry-After a turned-away client is given
 * @param conflictAttempts how often a chunk is written before a deadlock or serialization failure fails the load
 * @param lockTimeout longest wait for a table lock in a load's transaction (55P03 after it: 503 table-locked); 0 = none
 * @param statementTimeout longest single statement of a load (57014 after it: 503 statement-timeout); 0 = none
 * @param maxLoadsPerCaller loads one authenticated caller may run at once (its share of the slots)
 * @param maxRejectsStored rejects stored per load for {@code GET /api/v1/loads/{id}/rejects} (all are counted)
 * @param maxDownloads rejects downloads served at once, apart from other requests (a slow reader holds a thread,
 *     never a database connection); one more is answered 503 server-busy at once
 * @param shutdownCommitWait at shutdown, after the graceful period, how long a load's COMMIT already in flight is
 *     waited for before its answer says the outcome is unknown
 * @param maxParallel the most connections a non-atomic load may ask ({@code parallel}) to write its chunks at once;
 *     each takes one of the {@code maxConcurrentLoads} slots and counts against the caller's share
 */
@ConfigurationProperties("bulkload.load")
@Validated
public record LoadProperties(@DefaultValue("50000") @Min(1) int batchSize,
        @DefaultValue("1000000") @Min(1) int maxBatchSize,
        @DefaultValue("16MB") @NotNull DataSize batchBytes,
        @DefaultValue("1000") @Min(0) int maxRejectsReported,
        @DefaultValue("1024") @Min(16) @Max(1048576) int rejectRawBytes,
        @DefaultValue("8") @Min(1) int maxConcurrentLoads,
        @DefaultValue("2s") @NotNull java.time.Duration queueTimeout,
        @DefaultValue("256") @Min(0) int admissionQueue,
        @DefaultValue("64") @Min(1) int maxOtherRequests,
        @DefaultValue("5s") @NotNull java.time.Duration retryAfter,
        @DefaultValue("5") @Min(1) @Max(100) int conflictAttempts,
        @DefaultValue("10s") @NotNull java.time.Duration lockTimeout,
        @DefaultValue("15m") @NotNull java.time.Duration statementTimeout,
        @DefaultValue("4") @Min(1) int maxLoadsPerCaller,
        @DefaultValue("100000") @Min(0) int maxRejectsStored,
        @DefaultValue("64") @Min(1) int maxDownloads,
        @DefaultValue("10s") @NotNull java.time.Duration shutdownCommitWait,
        @DefaultValue("4") @Min(1) @Max(64) int maxParallel) {
}
