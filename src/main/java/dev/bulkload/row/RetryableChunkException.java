package dev.bulkload.row;

/**
 * A chunk failed on a deadlock or serialization failure (SQLSTATE 40P01, 40001): rolling it back and
 * writing it again can succeed.
 */
public class RetryableChunkException extends RuntimeException {

    private final String sqlState;

    public RetryableChunkException(String sqlState, Throwable cause) {
        super("Conflict with a concurrent transaction (SQLSTATE " + sqlState + ")", cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return this.sqlState;
    }
}
