package dev.bulkload.ingest;

/** The payload's media type or encoding is not one the service reads. */
public class UnsupportedPayloadException extends RuntimeException {

    public UnsupportedPayloadException(String message) {
        super(message);
    }
}
