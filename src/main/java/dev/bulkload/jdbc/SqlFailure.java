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
     * Whether the error belongs, by its SQLSTATE class alone, to the row that caused it: data exceptions (22),
     * integrity violations (23), an index row too large (54000), errors raised by triggers and their functions
     * (P0, 09, 27, 38, 39, 2F) and a view's check option (44).
     */
    public static boolean isRowError(SQLException ex) {
        return fault(ex) == Fault.ROW;
    }

    /**
     * Whose fault a failed statement is as far as its SQLSTATE tells: a row's ({@link #isRowError}), the load's
     * (the connection (08), the transaction's state (25, 3B, 0B, 2D), authorization (28), a transaction rolled
     * back (40: a deadlock, a serialization failure), resources (53), an object in use or locked (55: 55P03 a
     * lock timeout), an operator's cancel or shutdown (57), the system (58, XX, F0), a foreign-data wrapper
     * (HV), and every error the driver raises itself), or unclear: any other error the server raised (42601
     * from a type's input function, 42804, 428C9, 42501, 0A000, a trigger's own SQLSTATE, …), which the
     * isolation decides ({@link RejectIsolator}).
     */
    public static Fault fault(SQLException ex) {
        // the driver's own errors (a parameter not bound, 22023) are never a row's fault
        String sqlState = (server(ex) != null) ? ex.getSQLState() : null;
        if (sqlState == null || sqlState.length() != 5) {
            return Fault.LOAD;
        }
        return switch (sqlState.substring(0, 2)) {
            case "22", "23", "P0", "09", "27", "38", "39", "2F", "44" -> Fault.ROW;
            case "08", "25", "3B", "0B", "2D", "28", "40", "53", "55", "57", "58", "XX", "F0", "HV" -> Fault.LOAD;
            default -> sqlState.equals("54000") ? Fault.ROW : Fault.UNCLEAR;
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

    /** Whose fault a failed statement is, as far as its SQLSTATE tells. */
    public enum Fault {

        /** The row's: it is rejected, the others go on. */
        ROW,

        /** The load's: it fails (a deadlock is retried first). */
        LOAD,

        /** Either: the row's when the isolation pins it to one row and it does not recur without that row. */
        UNCLEAR
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
