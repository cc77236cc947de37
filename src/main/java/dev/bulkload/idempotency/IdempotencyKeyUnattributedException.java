package dev.bulkload.idempotency;

import java.util.UUID;

/**
 * The Idempotency-Key was used by a load recorded before callers were named by kind ({@code key:}, {@code jwt:}),
 * under the same bare name: the service cannot tell whether that caller was this one, so it neither replays,
 * resumes nor runs the load again.
 */
public class IdempotencyKeyUnattributedException extends RuntimeException {

    private final UUID loadId;

    IdempotencyKeyUnattributedException(UUID loadId) {
        super("This Idempotency-Key was used by load " + loadId + ", recorded before the service told API keys and "
                + "token subjects apart, by a caller of your name; it cannot tell whether that was you. See "
                + "GET /api/v1/loads/" + loadId + " and, unless that load did what you meant, send the request with a "
                + "new key; nothing was written");
        this.loadId = loadId;
    }

    /** The earlier load with the key. */
    public UUID loadId() {
        return this.loadId;
    }
}
