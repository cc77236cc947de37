package dev.bulkload.idempotency;

/**
 * What idempotency reads of a load's request: its key, how it commits, and the options a retry under the same key
 * must repeat.
 */
public interface KeyedRequest {

    /** The {@code Idempotency-Key} header's key, or null. */
    String idempotencyKey();

    /** One transaction for the whole load, or a commit per chunk. */
    boolean atomic();

    /** Rolled back at the end on purpose. */
    boolean dryRun();

    /** {@code onError=skip}: the good rows load and the bad ones are reported. */
    boolean skipBadRows();

    /**
     * Every option that changes what is written, in a fixed order, one a line; the key is not among them. The
     * fingerprint hashes it, so the same request must always give the same text.
     */
    String writtenOptions();
}
