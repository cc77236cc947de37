package dev.bulkload.body;

/**
 * The client sent the request body too slowly: nothing arrived for the idle timeout, or less than the
 * minimum upload rate over a window. The load is rolled back (atomic) and its slot freed.
 */
public class BodyTooSlowException extends RuntimeException {

    BodyTooSlowException(String message, Throwable cause) {
        super(message, cause);
    }
}
