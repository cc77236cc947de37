package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * Runs work under a savepoint, the one way every writer tries something a row may refuse: on a
 * row's fault (by SQLSTATE) the work is rolled back to the savepoint and the error returned; any
 * other error is thrown for the caller to roll back further. Nothing else runs in between.
 */
public final class Savepoints {

    private Savepoints() {
    }

    /** @return null when the work succeeded, else the error of the row at fault (already rolled back) */
    public static SQLException attempt(Connection connection, Work work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            work.run();
            connection.releaseSavepoint(savepoint);
            return null;
        }
        catch (SQLException ex) {
            SQLException cause = SqlFailure.cause(ex);
            if (!SqlFailure.isRowError(cause)) {
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
