package dev.bulkload.ingest;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.row.MalformedRecordException;
import dev.bulkload.row.Reject;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.RowWriterFactory;
import dev.bulkload.row.WriteCounts;

/**
 * Moves rows from a reader to writers one chunk at a time. A chunk ends after {@code batchSize}
 * rows or {@code batchBytes} encoded bytes; a change in the set of columns present starts a new
 * writer within the chunk (so absent columns take their DEFAULT). The caller decides which
 * transaction each chunk runs in. With a reject sink, a malformed record is reported and skipped.
 */
final class ChunkedWrite {

    private final LoadableTable table;

    private final RowReader reader;

    private final RowWriterFactory writers;

    private final int batchSize;

    private final long batchBytes;

    private final LoadMetrics metrics;

    private final String method;

    private final RejectCollector rejects;

    private final int[] requiredColumns;

    private final Row row;

    private boolean pending;

    private boolean exhausted;

    private long rowsReceived;

    private WriteCounts counts = WriteCounts.NONE;

    private long batches;

    private long lastRecordWritten;

    /**
     * @param rejects where malformed records go, or null to fail on the first
     * @param requiredColumns table columns every record must carry (the key of upsert, ignore and update)
     * @param rawLimit bytes of each record's original text to keep for rejects, 0 for none
     */
    ChunkedWrite(LoadableTable table, RowReader reader, RowWriterFactory writers, int batchSize, long batchBytes,
            LoadMetrics metrics, String method, RejectCollector rejects, int[] requiredColumns, int rawLimit) {
        this.table = table;
        this.reader = reader;
        this.writers = writers;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
        this.method = method;
        this.rejects = rejects;
        this.requiredColumns = requiredColumns;
        this.row = new Row(table.columns().size(), rawLimit);
    }

    /** Writes every remaining chunk. */
    void writeAll() {
        while (writeChunk()) {
            // each call writes one chunk
        }
    }

    /**
     * Writes one chunk.
     * @return whether rows remain
     */
    boolean writeChunk() {
        long started = System.nanoTime();
        RowWriter writer = null;
        int rows = 0;
        long bytes = 0;
        WriteCounts chunk = WriteCounts.NONE;
        try {
            while (true) {
                if (!this.pending) {
                    if (!readNext()) {
                        this.exhausted = true;
                        break;
                    }
                    this.pending = true;
                }
                long written = bytes + ((writer != null) ? writer.bytesWritten() : 0);
                if (rows >= this.batchSize || written >= this.batchBytes) {
                    break;
                }
                if (writer != null && !writer.accepts(this.row)) {
                    bytes += writer.bytesWritten();
                    RowWriter finishing = writer;
                    writer = null;
                    chunk = chunk.plus(finishing.finish());
                }
                if (writer == null) {
                    writer = this.writers.open(this.table, this.row.presentColumns());
                }
                writer.write(this.row);
                this.pending = false;
                this.lastRecordWritten = this.row.record();
                rows++;
            }
            if (writer != null) {
                RowWriter finishing = writer;
                writer = null;
                chunk = chunk.plus(finishing.finish());
            }
        }
        catch (RuntimeException ex) {
            if (writer != null) {
                writer.abort();
            }
            throw ex;
        }
        if (rows > 0) {
            this.batches++;
            this.counts = this.counts.plus(chunk);
            this.metrics.batch(this.table.qualifiedName(), this.method, System.nanoTime() - started);
        }
        return !this.exhausted;
    }

    /** Reads the next well-formed record; malformed ones become rejects when skipping. */
    private boolean readNext() {
        while (true) {
            try {
                if (!this.reader.next(this.row)) {
                    return false;
                }
                this.rowsReceived++;
                checkColumns();
                return true;
            }
            catch (MalformedRecordException ex) {
                if (ex.record() != null && ex.record() > this.rowsReceived) {
                    this.rowsReceived++;
                }
                if (this.rejects == null) {
                    throw ex;
                }
                this.rejects.reject(new Reject(ex.record(), ex.line(), ex.column(), null, null, ex.getMessage(),
                        this.row.rawText()));
            }
        }
    }

    private void checkColumns() {
        boolean any = false;
        for (int i = 0; i < this.row.columnCount() && !any; i++) {
            any = this.row.isPresent(i);
        }
        if (!any) {
            throw new MalformedRecordException("Record has no columns", this.row.record(), this.row.line(), null);
        }
        for (int column : this.requiredColumns) {
            if (!this.row.isPresent(column)) {
                String name = this.table.columns().get(column).name();
                throw new MalformedRecordException("Key column '" + name + "' is missing", this.row.record(),
                        this.row.line(), name);
            }
        }
    }

    long rowsReceived() {
        return this.rowsReceived;
    }

    WriteCounts counts() {
        return this.counts;
    }

    long batches() {
        return this.batches;
    }

    /** The record number of the last row handed to a writer, 0 before any. */
    long lastRecordWritten() {
        return this.lastRecordWritten;
    }
}
