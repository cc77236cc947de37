package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * Runs work under a savepoint, the one way every writer tries something a row may refuse: on an
 * error that may be a row's fault (by SQLSTATE: a row's, or unclear until the isolation decides) the
 * work is rolled back to the savepoint and the error returned; the load's errors (a lost connection, a
 * deadlock, a lock timeout) are thrown for the caller to roll back further. Nothing else runs in between.
 */
public final class Savepoints {

    private Savepoints() {
    }

    /** @return null when the work succeeded, else the error that may be a row's fault (already rolled back) */
    public static SQLException attempt(Connection connection, Work work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            work.run();
            connection.releaseSavepoint(savepoint);
            return null;
        }
        catch (SQLException ex) {
            SQLException cause = SqlFailure.cause(ex);
            if (SqlFailure.fault(cause) == SqlFailure.Fault.LOAD) {
                throw ex;
            }
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
            return cause;
        }
    }

    /** Statements a row may refuse. */
    @FunctionalInterface
    public interface Work {

        void run() throws SQLException;
    }
}
