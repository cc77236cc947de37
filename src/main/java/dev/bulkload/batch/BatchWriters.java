package dev.bulkload.batch;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.DirectChunkWriter;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens JDBC batch writers for a load, on its session's connection. */
@Component
public class BatchWriters {

    /** Inserts chunks straight into the table as batches; fails on the first bad row. */
    public ChunkWriter direct(LoadSession session, LoadableTable table, ColumnSets sets) {
        return new DirectChunkWriter(session.connection(), session.serverVersion(), table, sets, new BatchLoader());
    }

    /** Loads ledger rows into a staging table with a batch. */
    public RowLoader loader() {
        return new BatchLoader();
    }
}
