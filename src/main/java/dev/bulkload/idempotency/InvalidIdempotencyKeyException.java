package dev.bulkload.idempotency;

/** The {@code Idempotency-Key} header is empty, too long or not a structured-field string of printable ASCII. */
public class InvalidIdempotencyKeyException extends RuntimeException {

    private final String parameter;

    InvalidIdempotencyKeyException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The request parameter at fault: the header's name. */
    public String parameter() {
        return this.parameter;
    }
}
