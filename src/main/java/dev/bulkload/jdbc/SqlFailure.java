package dev.bulkload.jdbc;

import java.sql.SQLException;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

import dev.bulkload.row.DatabaseTimeLimitException;

/** Reads a failed statement: whether a row is at fault, the server's own words, or Spring's exception for it. */
public final class SqlFailure {

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final String QUERY_CANCELED = "57014";

    private static final SQLStateSQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();

    private SqlFailure() {
    }

    /**
     * The exception that carries the server's error: a batch wraps it as the next exception.
     */
    public static SQLException cause(SQLException ex) {
        if (!(ex instanceof PSQLException) && ex.getNextException() != null) {
            return ex.getNextException();
        }
        return ex;
    }

    /** The first SQLException in a chain of causes, or null. */
    public static SQLException find(Throwable ex) {
        Throwable cause = ex;
        while (cause != null && !(cause instanceof SQLException)) {
            cause = cause.getCause();
        }
        return (SQLException) cause;
    }

    /**
     * Whether the error belongs to the row that caused it, so that row is rejected and the others go
     * on: data exceptions (22), integrity violations (23), an index row too large (54000), errors
     * raised by triggers and their functions (P0, 09, 27, 38, 39, 2F), a row-level security policy
     * refusing the row (42501) and a view's check option (44). Decided by SQLSTATE alone.
     */
    public static boolean isRowError(SQLException ex) {
        // the driver's own errors (a parameter not bound, 22023) are never a row's fault
        String sqlState = (server(ex) != null) ? ex.getSQLState() : null;
        if (sqlState == null || sqlState.length() != 5) {
            return false;
        }
        return switch (sqlState.substring(0, 2)) {
            case "22", "23", "P0", "09", "27", "38", "39", "2F", "44" -> true;
            default -> sqlState.equals("54000") || sqlState.equals("42501");
        };
    }

    /** Deadlock (40P01) or serialization failure (40001): the same work can succeed when tried again. */
    public static boolean isRetryable(SQLException ex) {
        String sqlState = (ex != null) ? ex.getSQLState() : null;
        return "40P01".equals(sqlState) || "40001".equals(sqlState);
    }

    /** The server's error message fields, or null when the error did not come from the server. */
    public static ServerErrorMessage server(SQLException ex) {
        return (ex instanceof PSQLException psql) ? psql.getServerErrorMessage() : null;
    }

    /** The server's message with its detail (never the statement), else the exception's message. */
    public static String message(SQLException ex) {
        ServerErrorMessage server = server(ex);
        if (server == null) {
            return ex.getMessage();
        }
        return (server.getDetail() != null) ? server.getMessage() + " (" + server.getDetail() + ")"
                : server.getMessage();
    }

    /**
     * The exception for a failure that is not the row's fault (no SQL text in it): the load's own time
     * limits by SQLSTATE (a lock wait past {@code lock_timeout}, a statement canceled, typically by
     * {@code statement_timeout}), else Spring's exception for it.
     */
    public static RuntimeException translate(String task, SQLException ex) {
        String sqlState = ex.getSQLState();
        if (LOCK_NOT_AVAILABLE.equals(sqlState) && server(ex) != null) {
            return new DatabaseTimeLimitException(DatabaseTimeLimitException.Limit.LOCK_TIMEOUT, sqlState, ex);
        }
        if (QUERY_CANCELED.equals(sqlState) && server(ex) != null) {
            return new DatabaseTimeLimitException(DatabaseTimeLimitException.Limit.STATEMENT_TIMEOUT, sqlState, ex);
        }
        DataAccessException translated = TRANSLATOR.translate(task, null, ex);
        return (translated != null) ? translated : new UncategorizedSQLException(task, null, ex);
    }
}
