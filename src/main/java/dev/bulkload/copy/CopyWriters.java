package dev.bulkload.copy;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TableCache;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.session.LoadSession;

/** Opens COPY writers for a load, on its session's connection. */
@Component
public class CopyWriters {

    private final TableCache tables;

    CopyWriters(TableCache tables) {
        this.tables = tables;
    }

    /**
     * Streams chunks straight into the table; fails on the first bad row. COPY stores given values of
     * {@code GENERATED ALWAYS} identity columns as they are: the load checked that it was asked to.
     */
    public ChunkWriter direct(LoadSession session, LoadableTable table, ColumnSets sets) {
        return new StreamingCopyWriter(new RowRefusals(session.connection(), session.serverVersion(), table, sets,
                () -> this.tables.changed(table)), table, sets, session);
    }

    /** Loads ledger rows into a staging table with COPY. */
    public RowLoader loader() {
        return new CopyLoader();
    }
}
