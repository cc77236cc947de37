package dev.bulkload.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.bulkload.jdbc.Savepoints;
import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RejectSink;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteTarget;

/**
 * Collects rows into JDBC batches of a parameterised INSERT; values are bound untyped so the server
 * casts them to the column types. A failed batch is rolled back to its savepoint and split in
 * halves until the refused rows are found: each is then rejected (with a reject sink) or fails the
 * write (without one). Only the failure path pays for the split.
 */
final class BatchRowWriter implements RowWriter {

    private static final Logger logger = LoggerFactory.getLogger(BatchRowWriter.class);

    private static final java.util.regex.Pattern PARAMETER = java.util.regex.Pattern.compile("parameter \\$(\\d{1,5}) ");

    private final Connection connection;

    private final DataSource dataSource;

    private final PreparedStatement statement;

    private final WriteTarget target;

    private final RejectSink rejects;

    private final int[] indexes;

    private final List<String[]> values = new ArrayList<>();

    private final List<long[]> origins = new ArrayList<>();

    private final List<String> raws = new ArrayList<>();

    private long bytes;

    BatchRowWriter(Connection connection, DataSource dataSource, WriteTarget target, RejectSink rejects)
            throws SQLException {
        this.connection = connection;
        this.dataSource = dataSource;
        this.target = target;
        this.rejects = rejects;
        boolean[] columns = target.columns();
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
        this.statement = connection.prepareStatement(InsertStatement.insert(target));
    }

    @Override
    public boolean accepts(Row row) {
        return row.hasColumns(this.target.columns());
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
        this.raws.add(row.rawText());
    }

    @Override
    public long bytesWritten() {
        return this.bytes;
    }

    @Override
    public WriteCounts finish() {
        try {
            return new WriteCounts(insertRange(0, this.values.size()), 0, 0);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("INSERT", ex);
        }
        finally {
            close();
        }
    }

    @Override
    public void abort() {
        close();
    }

    /** Inserts rows [from, to) as one batch under a savepoint; on a data error, splits the range. */
    private long insertRange(int from, int to) throws SQLException {
        if (from >= to) {
            return 0;
        }
        Savepoint savepoint = Savepoints.set(this.connection);
        try {
            for (int i = from; i < to; i++) {
                bind(i);
                this.statement.addBatch();
            }
            long inserted = 0;
            for (int count : this.statement.executeBatch()) {
                inserted += (count == PreparedStatement.SUCCESS_NO_INFO) ? 1 : count;
            }
            Savepoints.release(this.connection, savepoint);
            return inserted;
        }
        catch (SQLException ex) {
            SQLException cause = SqlFailure.cause(ex);
            if (!SqlFailure.isDataError(cause)) {
                throw ex;
            }
            this.statement.clearBatch();
            Savepoints.rollback(this.connection, savepoint);
            if (to - from == 1) {
                RowRejectedException rejected = rejected(cause, from);
                if (this.rejects == null) {
                    throw rejected;
                }
                this.rejects.reject(new Reject(rejected.record(), rejected.line(), rejected.column(),
                        rejected.sqlState(), rejected.constraint(), rejected.getMessage(), this.raws.get(from)));
                return 0;
            }
            int middle = (from + to) >>> 1;
            return insertRange(from, middle) + insertRange(middle, to);
        }
    }

    private RowRejectedException rejected(SQLException ex, int index) {
        ServerErrorMessage server = SqlFailure.server(ex);
        long[] origin = this.origins.get(index);
        String column = (server != null) ? server.getColumn() : null;
        if (column == null && server != null) {
            column = parameterColumn(server.getWhere());
        }
        return new RowRejectedException(SqlFailure.message(ex), origin[0], origin[1], column, ex.getSQLState(),
                (server != null) ? server.getConstraint() : null);
    }

    /** The column of a bind parameter named in the error context ("unnamed portal parameter $3 = '...'"). */
    private String parameterColumn(String where) {
        java.util.regex.Matcher matcher = (where != null) ? PARAMETER.matcher(where) : null;
        if (matcher == null || !matcher.find()) {
            return null;
        }
        int index = Integer.parseInt(matcher.group(1)) - 1 - ((this.target.recordColumn() != null) ? 1 : 0);
        return (index >= 0 && index < this.indexes.length)
                ? this.target.table().columns().get(this.indexes[index]).name() : null;
    }

    private void bind(int index) throws SQLException {
        int parameter = 1;
        if (this.target.recordColumn() != null) {
            this.statement.setLong(parameter++, this.origins.get(index)[0]);
        }
        for (String value : this.values.get(index)) {
            if (value == null) {
                this.statement.setNull(parameter++, Types.OTHER);
            }
            else {
                this.statement.setObject(parameter++, value, Types.OTHER);
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

}
