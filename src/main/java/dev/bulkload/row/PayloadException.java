package dev.bulkload.row;

/** A failure tied to a place in the payload: the 1-based record and line, and the column when known. */
public abstract class PayloadException extends RuntimeException {

    private final Long record;

    private final Long line;

    private final String column;

    protected PayloadException(String message, Long record, Long line, String column) {
        super(message);
        this.record = record;
        this.line = line;
        this.column = column;
    }

    public Long record() {
        return this.record;
    }

    public Long line() {
        return this.line;
    }

    public String column() {
        return this.column;
    }
}
