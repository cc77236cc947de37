package dev.bulkload.row;

/**
 * A time limit of the load ran out in the database: a lock held by another transaction past the load's
 * lock timeout (SQLSTATE 55P03), or a statement canceled by the server (57014), typically by the load's
 * statement timeout. The load's transaction was rolled back.
 */
public class DatabaseTimeLimitException extends RuntimeException {

    /** Which limit ran out. */
    public enum Limit {

        /** {@code lock_timeout}: the table (or a row) stayed locked. */
        LOCK_TIMEOUT,

        /** {@code statement_timeout}, or a cancel on the server. */
        STATEMENT_TIMEOUT
    }

    private final Limit limit;

    private final String sqlState;

    public DatabaseTimeLimitException(Limit limit, String sqlState, Throwable cause) {
        super((limit == Limit.LOCK_TIMEOUT)
                ? "The table is locked by another transaction; the load gave up after its lock timeout"
                : "A statement of the load ran past the statement timeout (or was canceled on the server)", cause);
        this.limit = limit;
        this.sqlState = sqlState;
    }

    public Limit limit() {
        return this.limit;
    }

    public String sqlState() {
        return this.sqlState;
    }
}
