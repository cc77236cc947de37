package dev.bulkload.ingest;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.metrics.LoadMetrics;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowReader;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.RowWriterFactory;

/**
 * Moves rows from a reader to writers one chunk at a time. A chunk ends after {@code batchSize}
 * rows or {@code batchBytes} encoded bytes; a change in the set of columns present starts a new
 * statement within the chunk (so absent columns take their DEFAULT). The caller decides which
 * transaction each chunk runs in.
 */
final class ChunkedWrite {

    private final LoadableTable table;

    private final RowReader reader;

    private final RowWriterFactory writers;

    private final int batchSize;

    private final long batchBytes;

    private final LoadMetrics metrics;

    private final String method;

    private final Row row;

    private boolean pending;

    private boolean exhausted;

    private long rowsReceived;

    private long rowsInserted;

    private long batches;

    private long lastRecordWritten;

    ChunkedWrite(LoadableTable table, RowReader reader, RowWriterFactory writers, int batchSize, long batchBytes,
            LoadMetrics metrics, String method) {
        this.table = table;
        this.reader = reader;
        this.writers = writers;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
        this.method = method;
        this.row = new Row(table.columns().size());
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
        long inserted = 0;
        try {
            while (true) {
                if (!this.pending) {
                    if (!this.reader.next(this.row)) {
                        this.exhausted = true;
                        break;
                    }
                    this.pending = true;
                    this.rowsReceived++;
                    checkNotEmpty();
                }
                long written = bytes + ((writer != null) ? writer.bytesWritten() : 0);
                if (rows >= this.batchSize || written >= this.batchBytes) {
                    break;
                }
                if (writer != null && !writer.accepts(this.row)) {
                    bytes += writer.bytesWritten();
                    inserted += writer.finish();
                    writer = null;
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
                inserted += finishing.finish();
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
            this.rowsInserted += inserted;
            this.metrics.batch(this.table.qualifiedName(), this.method, System.nanoTime() - started);
        }
        return !this.exhausted;
    }

    private void checkNotEmpty() {
        for (int i = 0; i < this.row.columnCount(); i++) {
            if (this.row.isPresent(i)) {
                return;
            }
        }
        throw new MalformedPayloadException("Record has no columns", this.row.record(), this.row.line(), null);
    }

    long rowsReceived() {
        return this.rowsReceived;
    }

    long rowsInserted() {
        return this.rowsInserted;
    }

    long batches() {
        return this.batches;
    }

    /** The record number of the last row handed to a writer, 0 before any. */
    long lastRecordWritten() {
        return this.lastRecordWritten;
    }
}
