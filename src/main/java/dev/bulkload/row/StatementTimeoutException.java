package dev.bulkload.row;

/**
 * The server canceled a statement of the load (SQLSTATE 57014): its statement timeout passed, or an
 * administrator canceled it. The load's transaction was rolled back.
 */
public class StatementTimeoutException extends RuntimeException {

    private final String sqlState;

    public StatementTimeoutException(String sqlState, Throwable cause) {
        super("A statement of the load ran past the statement timeout (or was canceled on the server)", cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return this.sqlState;
    }
}
