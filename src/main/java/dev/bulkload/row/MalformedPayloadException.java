package dev.bulkload.row;

/** The payload is not well-formed CSV or JSON, or names a column the table does not have. */
public class MalformedPayloadException extends PayloadException {

    public MalformedPayloadException(String message, Long record, Long line, String column) {
        super(message, record, line, column);
    }

    public MalformedPayloadException(String message) {
        super(message, null, null, null);
    }
}
