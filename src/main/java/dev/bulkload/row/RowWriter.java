package dev.bulkload.row;

/**
 * Writes rows having one fixed set of columns to a table within the current transaction, as one
 * unit of database work (a COPY, a JDBC batch, or a staged merge). Opened by a {@link RowWriterFactory}.
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
     * @return what the database did
     * @throws RowRejectedException when the database rejects a row and no reject sink was given
     */
    WriteCounts finish();

    /** Cancels the statement after a failure; never throws. */
    void abort();
}
