package dev.bulkload.row;

import java.io.Closeable;

/** Reads a payload record by record into a reused {@link Row}, never holding more than one record. */
public interface RowReader extends Closeable {

    /**
     * Reads the next record into the row.
     * @return false at the end of the payload
     * @throws MalformedPayloadException if the payload is not well-formed
     * @throws PayloadTooLargeException if a record exceeds a limit
     */
    boolean next(Row row);
}
