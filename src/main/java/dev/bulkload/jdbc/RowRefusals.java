package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.util.ServerErrorMessage;

import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.Reject;

/**
 * Describes a row the database refused on its own: record, line and raw text from the ledger; the
 * SQLSTATE, constraint and column from the error's fields (never from its message text); for a
 * failed conversion, which names no column, the column whose value its type refuses.
 */
public final class RowRefusals {

    private RowRefusals() {
    }

    /**
     * @param row the ledger index of the refused row
     * @param columns the names of the row's columns, in the order of its encoded values
     * @param types their types
     */
    public static Reject describe(Connection connection, int serverVersion, ChunkLedger ledger, int row,
            List<String> columns, List<String> types, SQLException error) throws SQLException {
        ServerErrorMessage server = SqlFailure.server(error);
        String column = (server != null) ? server.getColumn() : null;
        String sqlState = error.getSQLState();
        if (column == null && sqlState != null && sqlState.startsWith("22")) {
            int invalid = CastCheck.firstInvalid(connection, serverVersion, ledger.values(row, columns.size()), types);
            column = (invalid >= 0) ? columns.get(invalid) : null;
        }
        return ledger.reject(row, column, sqlState, (server != null) ? server.getConstraint() : null,
                SqlFailure.message(error));
    }
}
