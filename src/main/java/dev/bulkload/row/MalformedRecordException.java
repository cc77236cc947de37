package dev.bulkload.row;

/**
 * One record is malformed but was read to its end, so the reader can go on with the next: with
 * {@code onError=skip} it becomes a reject, otherwise it fails the load like any malformed payload.
 */
public class MalformedRecordException extends MalformedPayloadException {

    public MalformedRecordException(String message, long record, Long line, String column) {
        super(message, record, line, column);
    }
}
