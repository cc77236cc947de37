package dev.bulkload.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import dev.bulkload.jdbc.Relation;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkLedger;

/**
 * Loads ledger rows with multi-row INSERT statements of up to {@link #ROWS_PER_STATEMENT} rows each,
 * executed one by one: each answers how many rows the server really inserted (a JDBC batch rewritten by
 * the driver answers only "success, count unknown"), and no more than one statement's values are held
 * at a time. Values are bound untyped, so the server converts them to the column types as COPY would.
 */
final class BatchLoader implements RowLoader {

    static final int ROWS_PER_STATEMENT = 1000;

    @Override
    public long load(Connection connection, Relation target, ChunkLedger ledger, int[] rows, int from, int to)
            throws SQLException {
        int perRow = InsertStatement.parametersPerRow(target);
        int perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, InsertStatement.MAX_PARAMETERS / perRow));
        long inserted = 0;
        for (int start = from; start < to; start += perStatement) {
            int end = Math.min(to, start + perStatement);
            try (PreparedStatement statement = connection.prepareStatement(InsertStatement.insert(target, end - start))) {
                int parameter = 1;
                for (int i = start; i < end; i++) {
                    parameter = bind(statement, parameter, target, ledger, rows[i]);
                }
                inserted += statement.executeLargeUpdate();
            }
        }
        return inserted;
    }

    private static int bind(PreparedStatement statement, int first, Relation target, ChunkLedger ledger, int row)
            throws SQLException {
        int parameter = first;
        if (target.recordColumn() != null) {
            statement.setLong(parameter++, ledger.record(row));
        }
        for (String value : ledger.values(row, target.columns().size())) {
            if (value == null) {
                statement.setNull(parameter++, Types.OTHER);
            }
            else {
                statement.setObject(parameter++, value, Types.OTHER);
            }
        }
        return parameter;
    }
}
