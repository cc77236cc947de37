package dev.bulkload.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.bulkload.jdbc.Savepoints;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RejectSink;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteTarget;

/**
 * Writes rows with {@code COPY ... FROM STDIN} on the transaction's connection, remembering each
 * row's record and line so a server error can name the payload's place.
 * <p>
 * Without a reject sink the rows stream out as they come and the first error fails the write.
 * With one, the rows are kept until {@link #finish} and copied under a savepoint; when the server
 * refuses the row at line N, the copy is rolled back, rows before N are copied again, row N is
 * rejected and copying resumes after it (pgloader's approach: never row at a time).
 */
final class CopyRowWriter implements RowWriter {

    private static final Logger logger = LoggerFactory.getLogger(CopyRowWriter.class);

    private static final Pattern SKIPPED_ROW = Pattern.compile("skipping row due to data type incompatibility at line (\\d{1,10})");

    /** Rows per COPY when isolating rejects: bounds what one refused row costs to send again. */
    private static final int SEGMENT_ROWS = 2000;

    private final Connection connection;

    private final DataSource dataSource;

    private final WriteTarget target;

    private final RejectSink rejects;

    private final String sql;

    private final CopyTextEncoder encoder;

    private final int flushThreshold;

    private CopyIn copyIn;

    private long[] records = new long[1024];

    private long[] lines = new long[1024];

    private int[] rowEnds = new int[1024];

    private String[] raws;

    private int rows;

    private long bytesWritten;

    CopyRowWriter(Connection connection, DataSource dataSource, WriteTarget target, RejectSink rejects,
            int bufferSize) {
        this.connection = connection;
        this.dataSource = dataSource;
        this.target = target;
        this.rejects = rejects;
        this.sql = CopyStatement.copyIn(target);
        this.flushThreshold = bufferSize;
        this.encoder = new CopyTextEncoder(target.columns(), target.recordColumn() != null, bufferSize + 4096);
        this.raws = (rejects != null) ? new String[1024] : null;
        if (rejects == null) {
            this.copyIn = startCopy();
        }
    }

    @Override
    public boolean accepts(Row row) {
        return row.hasColumns(this.target.columns());
    }

    @Override
    public void write(Row row) {
        if (this.rows == this.lines.length) {
            int size = this.lines.length * 2;
            this.records = Arrays.copyOf(this.records, size);
            this.lines = Arrays.copyOf(this.lines, size);
            this.rowEnds = Arrays.copyOf(this.rowEnds, size);
            if (this.raws != null) {
                this.raws = Arrays.copyOf(this.raws, size);
            }
        }
        this.records[this.rows] = row.record();
        this.lines[this.rows] = row.line();
        if (this.raws != null) {
            this.raws[this.rows] = row.rawText();
        }
        this.encoder.encode(row);
        this.rowEnds[this.rows] = this.encoder.size();
        this.rows++;
        if (this.rejects == null && this.encoder.size() >= this.flushThreshold) {
            flush();
        }
    }

    @Override
    public long bytesWritten() {
        return this.bytesWritten + this.encoder.size();
    }

    @Override
    public WriteCounts finish() {
        try {
            long copied = (this.rejects == null) ? finishStreaming()
                    : (this.target.recordColumn() != null && serverSkipsTypeErrors()) ? copySkippingTypeErrors()
                            : copyIsolatingRejects();
            return new WriteCounts(copied, 0, 0);
        }
        finally {
            DataSourceUtils.releaseConnection(this.connection, this.dataSource);
        }
    }

    @Override
    public void abort() {
        cancel(this.copyIn);
        DataSourceUtils.releaseConnection(this.connection, this.dataSource);
    }

    private long finishStreaming() {
        flush();
        try {
            return this.copyIn.endCopy();
        }
        catch (SQLException ex) {
            cancel(this.copyIn);
            throw CopyErrors.translate(ex, this.target.table(), this.target.relationName(), origin(0));
        }
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
            cancel(this.copyIn);
            throw CopyErrors.translate(ex, this.target.table(), this.target.relationName(), origin(0));
        }
    }

    /**
     * Copies the kept rows in segments, each under a savepoint, so that a refused row costs at most a
     * segment sent again (the server only reports the error once the rows after it were sent).
     */
    private long copyIsolatingRejects() {
        long copied = 0;
        for (int segment = 0; segment < this.rows; segment += SEGMENT_ROWS) {
            int start = segment;
            int end = Math.min(this.rows, segment + SEGMENT_ROWS);
            while (start < end) {
                Savepoint savepoint = savepoint();
                try {
                    copied += copyRange(start, end);
                    release(savepoint);
                    break;
                }
                catch (RowRejectedException ex) {
                    int bad = (ex.record() != null) ? indexOf(ex.record()) : -1;
                    if (bad < start || bad >= end) {
                        throw ex;
                    }
                    rollback(savepoint);
                    if (bad > start) {
                        copied += copyRange(start, bad);
                    }
                    this.rejects.reject(new Reject(this.records[bad], this.lines[bad], ex.column(), ex.sqlState(),
                            ex.constraint(), ex.getMessage(), this.raws[bad]));
                    start = bad + 1;
                }
            }
        }
        this.bytesWritten = this.encoder.size();
        return copied;
    }

    /**
     * PostgreSQL 17 and newer: one {@code COPY ... (ON_ERROR ignore, LOG_VERBOSITY verbose)} skips rows
     * with type errors and names each in a notice; each such row is then copied alone (and refused) to
     * report the same error as older servers do. Errors it cannot skip fall back to segment isolation.
     */
    private long copySkippingTypeErrors() {
        Savepoint savepoint = savepoint();
        long copied;
        List<Integer> skipped = new ArrayList<>();
        try {
            this.connection.clearWarnings();
            CopyIn copy = startCopy(this.sql.replace("(FORMAT text)",
                    "(FORMAT text, ON_ERROR ignore, LOG_VERBOSITY verbose)"));
            try {
                for (int offset = 0; offset < this.encoder.size(); offset += this.flushThreshold) {
                    copy.writeToCopy(this.encoder.buffer(), offset,
                            Math.min(this.flushThreshold, this.encoder.size() - offset));
                }
                copied = copy.endCopy();
            }
            catch (SQLException ex) {
                cancel(copy);
                throw CopyErrors.translate(ex, this.target.table(), this.target.relationName(), origin(0));
            }
            for (SQLWarning warning = this.connection.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                Matcher matcher = SKIPPED_ROW.matcher(String.valueOf(warning.getMessage()));
                if (matcher.find()) {
                    int position = Integer.parseInt(matcher.group(1));
                    if (position >= 1 && position <= this.rows) {
                        skipped.add(position - 1);
                    }
                }
            }
            this.connection.clearWarnings();
            release(savepoint);
            logger.debug("COPY into {} skipped {} rows with type errors", this.target.relationName(), skipped.size());
        }
        catch (RowRejectedException | SQLException ex) {
            logger.debug("COPY with ON_ERROR ignore into {} failed; isolating rows by segment",
                    this.target.relationName(), ex);
            rollback(savepoint);
            return copyIsolatingRejects();
        }
        for (int index : skipped) {
            Savepoint single = savepoint();
            try {
                copied += copyRange(index, index + 1);
                release(single);
            }
            catch (RowRejectedException ex) {
                rollback(single);
                this.rejects.reject(new Reject(this.records[index], this.lines[index], ex.column(), ex.sqlState(),
                        ex.constraint(), ex.getMessage(), this.raws[index]));
            }
        }
        this.bytesWritten = this.encoder.size();
        return copied;
    }

    private boolean serverSkipsTypeErrors() {
        try {
            return this.connection.getMetaData().getDatabaseMajorVersion() >= 17;
        }
        catch (SQLException ex) {
            return false;
        }
    }

    /** Copies rows [from, to) in one COPY. */
    private long copyRange(int from, int to) {
        CopyIn copy = startCopy();
        int offset = (from == 0) ? 0 : this.rowEnds[from - 1];
        int end = this.rowEnds[to - 1];
        try {
            while (offset < end) {
                int length = Math.min(this.flushThreshold, end - offset);
                copy.writeToCopy(this.encoder.buffer(), offset, length);
                offset += length;
            }
            return copy.endCopy();
        }
        catch (SQLException ex) {
            cancel(copy);
            throw CopyErrors.translate(ex, this.target.table(), this.target.relationName(), origin(from));
        }
    }

    private CopyIn startCopy() {
        return startCopy(this.sql);
    }

    private CopyIn startCopy(String statement) {
        try {
            return this.connection.unwrap(PGConnection.class).getCopyAPI().copyIn(statement);
        }
        catch (SQLException ex) {
            throw CopyErrors.translate(ex, this.target.table(), this.target.relationName(), CopyErrors.NO_ROWS);
        }
    }

    private CopyErrors.RowOrigin origin(int first) {
        return new CopyErrors.RowOrigin() {

            @Override
            public long record(int position) {
                return CopyRowWriter.this.records[first + position - 1];
            }

            @Override
            public long line(int position) {
                return CopyRowWriter.this.lines[first + position - 1];
            }

            @Override
            public int rows() {
                return CopyRowWriter.this.rows - first;
            }
        };
    }

    private int indexOf(long record) {
        int index = Arrays.binarySearch(this.records, 0, this.rows, record);
        return (index >= 0) ? index : -1;
    }

    private Savepoint savepoint() {
        return Savepoints.set(this.connection);
    }

    private void release(Savepoint savepoint) {
        Savepoints.release(this.connection, savepoint);
    }

    private void rollback(Savepoint savepoint) {
        Savepoints.rollback(this.connection, savepoint);
    }

    private void cancel(CopyIn copy) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            }
            catch (SQLException ex) {
                logger.debug("Cancelling COPY into {} failed", this.target.relationName(), ex);
            }
        }
    }
}
