package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/** Savepoints on the transaction's connection, with failures as Spring's unchecked exceptions. */
public final class Savepoints {

    private Savepoints() {
    }

    public static Savepoint set(Connection connection) {
        try {
            return connection.setSavepoint();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("SAVEPOINT", ex);
        }
    }

    public static void release(Connection connection, Savepoint savepoint) {
        try {
            connection.releaseSavepoint(savepoint);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("RELEASE SAVEPOINT", ex);
        }
    }

    /** Rolls back to the savepoint and releases it. */
    public static void rollback(Connection connection, Savepoint savepoint) {
        try {
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("ROLLBACK TO SAVEPOINT", ex);
        }
    }
}
