package dev.bulkload.registry;

import java.util.Map;

/**
 * What the registry records about a load when it starts.
 * @param table the table, {@code schema.name}
 * @param principal the caller's name when authentication tells callers apart ({@code key:<API key name>},
 *        {@code jwt:<principal claim>}), else null
 * @param format csv, json or ndjson
 * @param mode the write mode
 * @param method copy or batch
 * @param atomic one transaction for the whole load
 * @param dryRun rolled back on purpose at the end
 * @param options the other request options as given (key, onError, maxErrors, batchSize, map, match, ...)
 * @param maxRejectsStored the most rejects stored for download
 * @param traceId the trace the load runs in (its problem's {@code traceId}), null when there is none; the registry
 *        sets it when the load starts
 */
public record LoadStart(String table, String principal, String format, String mode, String method, boolean atomic,
        boolean dryRun, Map<String, Object> options, int maxRejectsStored, String traceId) {

    public LoadStart {
        // in the order given, so the registry shows them as the report does
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** A load's start, its trace not known yet. */
    public LoadStart(String table, String principal, String format, String mode, String method, boolean atomic,
            boolean dryRun, Map<String, Object> options, int maxRejectsStored) {
        this(table, principal, format, mode, method, atomic, dryRun, options, maxRejectsStored, null);
    }

    /** The same start, in the trace {@code traceId}. */
    LoadStart inTrace(String traceId) {
        return new LoadStart(this.table, this.principal, this.format, this.mode, this.method, this.atomic,
                this.dryRun, this.options, this.maxRejectsStored, traceId);
    }
}
