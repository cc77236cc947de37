/** Idempotency-Keys on loads: the header, the request's fingerprint, the per-chunk ledger, replay and resumption. */
package dev.bulkload.idempotency;
