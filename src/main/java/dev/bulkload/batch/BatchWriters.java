package dev.bulkload.batch;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCache;
import dev.bulkload.jdbc.DirectChunkWriter;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens JDBC batch writers for a load, on its session's connection. */
@Component
public class BatchWriters {

    private final TableCache tables;

    BatchWriters(TableCache tables) {
        this.tables = tables;
    }

    /**
     * Inserts chunks straight into the table as batches; fails on the first bad row.
     * @param overridingSystemValue whether the INSERTs store given values of {@code GENERATED ALWAYS} identity columns
     */
    public ChunkWriter direct(LoadSession session, LoadableTable table, ColumnSets sets,
            boolean overridingSystemValue) {
        return new DirectChunkWriter(new RowRefusals(session.connection(), session.serverVersion(), table, sets,
                () -> this.tables.changed(table)), table, sets, new BatchLoader(), overridingSystemValue);
    }

    /** Loads ledger rows into a staging table with a batch. */
    public RowLoader loader() {
        return new BatchLoader();
    }
}
