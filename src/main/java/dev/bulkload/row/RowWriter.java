package dev.bulkload.row;

/**
 * Writes rows having one fixed set of columns to a table within the current transaction, as one
 * database statement (one COPY, or one JDBC batch). Opened by a {@link RowWriterFactory}.
 */
public interface RowWriter {

    /** Whether the row has the columns this writer was opened for. */
    boolean accepts(Row row);

    /**
     * Writes one row (buffered: a rejected row may surface on a later call or at {@link #finish}).
     * @throws RowRejectedException when the database rejects a row
     */
    void write(Row row);

    /** Bytes written so far, to bound a chunk by size. */
    long bytesWritten();

    /**
     * Ends the statement.
     * @return the number of rows the database inserted
     * @throws RowRejectedException when the database rejects a row
     */
    long finish();

    /** Cancels the statement after a failure; never throws. */
    void abort();
}
