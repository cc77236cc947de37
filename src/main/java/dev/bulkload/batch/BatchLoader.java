package dev.bulkload.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import dev.bulkload.jdbc.Relation;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkLedger;

/**
 * Loads ledger rows with one JDBC batch of a parameterised INSERT (the driver rewrites it into
 * multi-row INSERTs); values are bound untyped, so the server converts them to the column types as
 * COPY would.
 */
final class BatchLoader implements RowLoader {

    @Override
    public long load(Connection connection, Relation target, ChunkLedger ledger, int[] rows, int from, int to)
            throws SQLException {
        if (from >= to) {
            return 0;
        }
        boolean withRecord = target.recordColumn() != null;
        int columns = target.columns().size();
        try (PreparedStatement statement = connection.prepareStatement(InsertStatement.insert(target))) {
            for (int i = from; i < to; i++) {
                int row = rows[i];
                int parameter = 1;
                if (withRecord) {
                    statement.setLong(parameter++, ledger.record(row));
                }
                for (String value : ledger.values(row, columns)) {
                    if (value == null) {
                        statement.setNull(parameter++, Types.OTHER);
                    }
                    else {
                        statement.setObject(parameter++, value, Types.OTHER);
                    }
                }
                statement.addBatch();
            }
            long inserted = 0;
            for (int count : statement.executeBatch()) {
                inserted += (count == PreparedStatement.SUCCESS_NO_INFO) ? 1 : count;
            }
            return inserted;
        }
    }
}
