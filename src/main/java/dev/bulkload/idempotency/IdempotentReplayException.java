package dev.bulkload.idempotency;

import java.util.UUID;

/**
 * A retry of a load that already ended with an answer: that answer again, with nothing written. Thrown so the web
 * layer answers it as it is, with {@code Idempotent-Replayed: true}.
 */
public class IdempotentReplayException extends RuntimeException {

    private final int status;

    private final Object body;

    private final UUID loadId;

    /**
     * @param body the load's report or the problem ({@code ProblemDetail}) answered the first time
     */
    IdempotentReplayException(int status, Object body, UUID loadId) {
        super("Replayed the answer of load " + loadId, null, false, false);
        this.status = status;
        this.body = body;
        this.loadId = loadId;
    }

    public int status() {
        return this.status;
    }

    public Object body() {
        return this.body;
    }

    public UUID loadId() {
        return this.loadId;
    }
}
