package dev.bulkload.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import javax.sql.DataSource;

import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowWriter;

/**
 * Streams rows into one {@code COPY ... FROM STDIN} on the transaction's connection, remembering
 * each row's record and line so a server error can name the payload's place.
 */
final class CopyRowWriter implements RowWriter, CopyErrors.RowOrigin {

    private static final Logger logger = LoggerFactory.getLogger(CopyRowWriter.class);

    private final CopyIn copyIn;

    private final Connection connection;

    private final DataSource dataSource;

    private final LoadableTable table;

    private final boolean[] columns;

    private final CopyTextEncoder encoder;

    private final int flushThreshold;

    private long firstRecord;

    private long[] lines = new long[1024];

    private int rows;

    private long bytesWritten;

    CopyRowWriter(CopyIn copyIn, Connection connection, DataSource dataSource, LoadableTable table,
            boolean[] columns, int bufferSize) {
        this.copyIn = copyIn;
        this.connection = connection;
        this.dataSource = dataSource;
        this.table = table;
        this.columns = columns;
        this.flushThreshold = bufferSize;
        this.encoder = new CopyTextEncoder(columns, bufferSize + 4096);
    }

    @Override
    public boolean accepts(Row row) {
        return row.hasColumns(this.columns);
    }

    @Override
    public void write(Row row) {
        if (this.rows == 0) {
            this.firstRecord = row.record();
        }
        if (this.rows == this.lines.length) {
            this.lines = Arrays.copyOf(this.lines, this.lines.length * 2);
        }
        this.lines[this.rows++] = row.line();
        this.encoder.encode(row);
        if (this.encoder.size() >= this.flushThreshold) {
            flush();
        }
    }

    @Override
    public long bytesWritten() {
        return this.bytesWritten + this.encoder.size();
    }

    @Override
    public long finish() {
        flush();
        try {
            return this.copyIn.endCopy();
        }
        catch (SQLException ex) {
            abort();
            throw CopyErrors.translate(ex, this.table, this);
        }
        finally {
            DataSourceUtils.releaseConnection(this.connection, this.dataSource);
        }
    }

    @Override
    public void abort() {
        if (this.copyIn.isActive()) {
            try {
                this.copyIn.cancelCopy();
            }
            catch (SQLException ex) {
                logger.debug("Cancelling COPY into {} failed", this.table.qualifiedName(), ex);
            }
        }
        DataSourceUtils.releaseConnection(this.connection, this.dataSource);
    }

    private void flush() {
        if (this.encoder.size() == 0) {
            return;
        }
        try {
            this.copyIn.writeToCopy(this.encoder.buffer(), 0, this.encoder.size());
            this.bytesWritten += this.encoder.size();
            this.encoder.clear();
        }
        catch (SQLException ex) {
            abort();
            throw CopyErrors.translate(ex, this.table, this);
        }
    }

    @Override
    public long record(int position) {
        return this.firstRecord + position - 1;
    }

    @Override
    public long line(int position) {
        return this.lines[position - 1];
    }

    @Override
    public int rows() {
        return this.rows;
    }
}
