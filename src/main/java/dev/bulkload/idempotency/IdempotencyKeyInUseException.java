package dev.bulkload.idempotency;

import java.util.UUID;

/** A load with the same Idempotency-Key is still running, on this replica or another: retry once it ended. */
public class IdempotencyKeyInUseException extends RuntimeException {

    private final String key;

    private final UUID loadId;

    IdempotencyKeyInUseException(String key, UUID loadId) {
        super("A load with this Idempotency-Key is still running; retry once it has ended"
                + ((loadId != null) ? " (GET /api/v1/loads/" + loadId + ")" : ""));
        this.key = key;
        this.loadId = loadId;
    }

    public String key() {
        return this.key;
    }

    /** The running load, when its row already carries the key; else null. */
    public UUID loadId() {
        return this.loadId;
    }
}
