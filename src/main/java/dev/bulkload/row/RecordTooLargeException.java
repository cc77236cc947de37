package dev.bulkload.row;

/**
 * One record is over a reader limit (a value, a number, the nesting, the record itself) but the reader went past it
 * to the next: with {@code onError=skip} it becomes a reject, otherwise it fails the load like any payload over a
 * limit (413).
 */
public class RecordTooLargeException extends PayloadTooLargeException {

    public RecordTooLargeException(String message, long record, Long line, String column) {
        super(message, record, line, column);
    }
}
