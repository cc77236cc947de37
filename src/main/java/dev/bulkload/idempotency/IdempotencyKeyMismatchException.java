package dev.bulkload.idempotency;

/**
 * An Idempotency-Key came again with a request that differs from the one it was first used for: other options, or
 * another body. Nothing is written for it (draft-ietf-httpapi-idempotency-key-header: 422).
 */
public class IdempotencyKeyMismatchException extends RuntimeException {

    private final String key;

    IdempotencyKeyMismatchException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return this.key;
    }
}
