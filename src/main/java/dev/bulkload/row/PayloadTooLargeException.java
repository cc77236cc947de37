package dev.bulkload.row;

/** The payload, or one of its records or fields, exceeds a configured limit. */
public class PayloadTooLargeException extends PayloadException {

    public PayloadTooLargeException(String message, Long record, Long line, String column) {
        super(message, record, line, column);
    }

    public PayloadTooLargeException(String message) {
        super(message, null, null, null);
    }
}
