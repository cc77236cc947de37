package dev.bulkload.registry;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * A load as the registry knows it, in the load report's field names: the final counts when it ended; while it
 * runs, the counts so far and the current rate.
 * @param id the load
 * @param table the table, {@code schema.name}
 * @param status running, succeeded, failed or cancelled
 * @param format csv, json or ndjson
 * @param mode the write mode
 * @param method copy or batch
 * @param atomic one transaction for the whole load
 * @param dryRun rolled back on purpose
 * @param rowsReceived data records read (so far)
 * @param rowsInserted rows inserted (so far; when failed: in committed chunks)
 * @param rowsUpdated rows updated
 * @param rowsSkipped rows skipped
 * @param rowsRejected rows refused
 * @param rowsCommitted rows that stay in the table: inserted plus updated of committed transactions
 * @param batches chunks written
 * @param bytesRead request body bytes read
 * @param rowsPerSecond the current rate while running, the load's when done
 * @param durationMs from start to end, or to now while running
 * @param startedAt when it started
 * @param updatedAt the last write of its row (a heartbeat while running)
 * @param finishedAt when it ended, null while running
 * @param principal who sent it, when authentication is on: {@code key:<API key name>} or {@code jwt:<subject>}
 *        ({@code legacy:<name>} for a load recorded before callers were named by kind)
 * @param idempotencyKey its Idempotency-Key, if any
 * @param replica the instance that ran it
 * @param cancelRequested whether a cancel was asked for
 * @param options the request's other options as given
 * @param problem the RFC 9457 problem it ended with, when failed or cancelled
 * @param resumedFromRecord the record a resumed load started writing at, if it resumed
 * @param attempt which run of the load this row shows: 1, then one more for each retry with its Idempotency-Key
 *        that resumed it
 * @param traceId the trace the load ran in (of its latest attempt): the {@code traceId} of its problem and of its
 *        log lines; null for a load recorded before the service kept it
 * @param source the name of the uploaded file the load read (multipart), null for a body sent as it is
 */
@Schema(name = "Load")
public record LoadView(UUID id, String table, String status, String format, String mode, String method,
        boolean atomic, boolean dryRun, long rowsReceived, long rowsInserted, long rowsUpdated, long rowsSkipped,
        long rowsRejected, long rowsCommitted, long batches, long bytesRead, long rowsPerSecond, long durationMs,
        Instant startedAt, Instant updatedAt, Instant finishedAt, String principal, String idempotencyKey,
        String replica, boolean cancelRequested, JsonNode options, JsonNode problem, Long resumedFromRecord,
        int attempt, String traceId, String source) {
}
