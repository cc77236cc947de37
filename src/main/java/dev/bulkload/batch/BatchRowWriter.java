package dev.bulkload.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.RowWriter;

/**
 * Collects rows into one JDBC batch of a parameterised INSERT; values are bound untyped so the
 * server casts them to the column types. When the batch fails, it is rolled back to a savepoint and
 * replayed row by row to find the row the database refused: only on that failure path.
 */
final class BatchRowWriter implements RowWriter {

    private static final Logger logger = LoggerFactory.getLogger(BatchRowWriter.class);

    private static final SQLStateSQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();

    private final Connection connection;

    private final DataSource dataSource;

    private final PreparedStatement statement;

    private final boolean[] columns;

    private final int[] indexes;

    private final List<String[]> values = new ArrayList<>();

    private final List<long[]> origins = new ArrayList<>();

    private long bytes;

    BatchRowWriter(Connection connection, DataSource dataSource, LoadableTable table, boolean[] columns)
            throws SQLException {
        this.connection = connection;
        this.dataSource = dataSource;
        this.columns = columns;
        int count = 0;
        for (boolean c : columns) {
            count += c ? 1 : 0;
        }
        this.indexes = new int[count];
        for (int i = 0, j = 0; i < columns.length; i++) {
            if (columns[i]) {
                this.indexes[j++] = i;
            }
        }
        this.statement = connection.prepareStatement(InsertStatement.insert(table, columns));
    }

    @Override
    public boolean accepts(Row row) {
        return row.hasColumns(this.columns);
    }

    @Override
    public void write(Row row) {
        String[] rowValues = new String[this.indexes.length];
        for (int k = 0; k < this.indexes.length; k++) {
            rowValues[k] = row.text(this.indexes[k]);
        }
        this.bytes += row.size();
        this.values.add(rowValues);
        this.origins.add(new long[] { row.record(), row.line() });
    }

    @Override
    public long bytesWritten() {
        return this.bytes;
    }

    @Override
    public long finish() {
        Savepoint savepoint = null;
        try {
            savepoint = this.connection.setSavepoint();
            for (String[] rowValues : this.values) {
                bind(rowValues);
                this.statement.addBatch();
            }
            long inserted = 0;
            for (int count : this.statement.executeBatch()) {
                inserted += (count == PreparedStatement.SUCCESS_NO_INFO) ? 1 : count;
            }
            this.connection.releaseSavepoint(savepoint);
            return inserted;
        }
        catch (SQLException ex) {
            throw locateFailure(savepoint, ex);
        }
        finally {
            close();
        }
    }

    @Override
    public void abort() {
        close();
    }

    private RuntimeException locateFailure(Savepoint savepoint, SQLException batchFailure) {
        if (savepoint == null || batchFailure.getSQLState() == null || !isDataError(batchFailure.getSQLState())) {
            return translate(batchFailure);
        }
        try {
            this.connection.rollback(savepoint);
            this.statement.clearBatch();
            for (int i = 0; i < this.values.size(); i++) {
                Savepoint row = this.connection.setSavepoint();
                try {
                    bind(this.values.get(i));
                    this.statement.executeUpdate();
                    this.connection.releaseSavepoint(row);
                }
                catch (SQLException rowFailure) {
                    long[] origin = this.origins.get(i);
                    return rejected(rowFailure, origin[0], origin[1]);
                }
            }
        }
        catch (SQLException ex) {
            batchFailure.addSuppressed(ex);
        }
        return rejected(batchFailure, null, null);
    }

    private RuntimeException rejected(SQLException ex, Long record, Long line) {
        ServerErrorMessage server = (ex instanceof PSQLException psql) ? psql.getServerErrorMessage() : null;
        SQLException cause = ex;
        if (server == null && ex.getNextException() instanceof PSQLException next) {
            server = next.getServerErrorMessage();
            cause = next;
        }
        if (server == null || cause.getSQLState() == null || !isDataError(cause.getSQLState())) {
            return translate(cause);
        }
        String message = server.getMessage();
        if (server.getDetail() != null) {
            message = message + " (" + server.getDetail() + ")";
        }
        return new RowRejectedException(message, record, line, server.getColumn(), cause.getSQLState(),
                server.getConstraint());
    }

    private void bind(String[] rowValues) throws SQLException {
        for (int k = 0; k < rowValues.length; k++) {
            if (rowValues[k] == null) {
                this.statement.setNull(k + 1, Types.OTHER);
            }
            else {
                this.statement.setObject(k + 1, rowValues[k], Types.OTHER);
            }
        }
    }

    private void close() {
        try {
            this.statement.close();
        }
        catch (SQLException ex) {
            logger.debug("Closing a batch statement failed", ex);
        }
        DataSourceUtils.releaseConnection(this.connection, this.dataSource);
    }

    private static DataAccessException translate(SQLException ex) {
        DataAccessException translated = TRANSLATOR.translate("INSERT", null, ex);
        return (translated != null) ? translated : new UncategorizedSQLException("INSERT", null, ex);
    }

    private static boolean isDataError(String sqlState) {
        return sqlState.startsWith("22") || sqlState.startsWith("23");
    }
}
