package dev.bulkload.row;

/**
 * A lock the load needed was held by another transaction for longer than the load's lock timeout
 * (SQLSTATE 55P03): the load was rolled back instead of waiting for the lock's release.
 */
public class TableLockedException extends RuntimeException {

    private final String sqlState;

    public TableLockedException(String sqlState, Throwable cause) {
        super("The table is locked by another transaction; the load gave up after its lock timeout", cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return this.sqlState;
    }
}
